//! Changing a registered person or organisation, and registering an organisation, from a form:
//! the import's checks and reasons, the audit entry, the key kept, and a district officer held to
//! their districts.

use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::{organisations, persons};

use crate::support::{employer_a, on_each_backend, uscc};
use crate::users::{Signed, sign_in, user};

fn post(s: &crate::support::Server, who: &Signed, path: &str, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
    who.post_form(s, path, pairs)
}

#[tokio::test]
async fn an_officer_changes_a_persons_record_through_the_imports_checks() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let all = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        // 测试人员01 lives in 和平区 (120101); 测试人员00 in 滨海新区 (120116).
        let heping_person = all.iter().find(|p| p.name == "测试人员01").expect("person 01");
        let binhai_person = all.iter().find(|p| p.name == "测试人员00").expect("person 00");
        let heping = Role::DistrictAdmin { districts: ["120101".to_string()].into() };
        user(&s.app, "heping", &[heping]).await;
        let h = sign_in(&s, "heping").await;

        let page = h.get(&s, &format!("/persons/{}", heping_person.public_id)).send().await.unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("id=\"edit-person\""), "[{b}] an officer of the district may change the record");
        let edit = format!("/persons/{}/edit", heping_person.public_id);
        let form = h.get(&s, &edit).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("value=\"测试人员01\"") && form.contains("readonly"), "[{b}] prefilled: {form}");

        let other_number = crate::support::id_number("120101", crate::support::date(1990, 1, 1), 999);
        let change = [
            ("id_number", other_number.as_str()),
            ("name", "测试人员01改"),
            ("id_type", "resident_id"),
            ("district", "120101"),
            ("occupation", "6-18-01-01"),
            ("education", "bachelor"),
            ("employment_status", "employed"),
            ("work_start", "2006-03-01"),
        ];
        let r = post(&s, &h, &edit, &change).send().await.unwrap();
        assert!(r.url().path().ends_with(&heping_person.public_id.to_string()), "[{b}] {}", r.url());
        let after = persons::by_public_id(&s.app.db, &Scope::all(), heping_person.public_id).await.unwrap().unwrap();
        assert_eq!(after.name, "测试人员01改", "[{b}]");
        assert_eq!(after.occupation_code.as_deref(), Some("6-18-01-01"), "[{b}]");
        assert_eq!(after.education.as_deref(), Some("bachelor"), "[{b}]");
        assert_eq!(after.id_number, heping_person.id_number, "[{b}] the number is not changed by the form");
        assert!(persons::by_id_number(&s.app.db, &other_number).await.unwrap().is_none(), "[{b}] nobody new");

        // A bad value comes back beside its field, and nothing changes.
        let bad = [("name", "测试人员01改"), ("district", "120101"), ("work_start", "2006-13-01")];
        let text = post(&s, &h, &edit, &bad).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("role=\"alert\"") && text.contains("work_start"), "[{b}] {text}");
        // Moving the person out of one's districts is refused; another district's person is not found.
        let out = [("name", "测试人员01改"), ("district", "120116"), ("id_type", "resident_id")];
        let text = post(&s, &h, &edit, &out).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("请选择您所辖的区"), "[{b}] {text}");
        let theirs = format!("/persons/{}/edit", binhai_person.public_id);
        assert_eq!(h.get(&s, &theirs).send().await.unwrap().status(), 404, "[{b}]");
        let audit = gongjiang_store::audit::search(&s.app.db, &Default::default(), None, 50).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "import.batch" && e.actor == "user:heping"), "[{b}] audited");
    })
    .await;
}

#[tokio::test]
async fn an_officer_registers_and_changes_an_organisation_from_a_form() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let heping = Role::DistrictAdmin { districts: ["120101".to_string()].into() };
        user(&s.app, "heping", &[heping]).await;
        let h = sign_in(&s, "heping").await;
        let list = h.get(&s, "/organisations").send().await.unwrap().text().await.unwrap();
        assert!(list.contains("href=\"/organisations/new\""), "[{b}]");

        let code = uscc("91120101MA05DDDD4");
        let new = [
            ("uscc", code.as_str()),
            ("name", "和平精工有限公司"),
            ("kind", "enterprise"),
            ("district", "120101"),
            ("industry", "C"),
            ("chains", "xinchuang"),
        ];
        let bad_code =
            [("uscc", "91120101MA05DDDD40"), ("name", "错码公司"), ("kind", "enterprise"), ("district", "120101")];
        let text = post(&s, &h, "/organisations/new", &bad_code).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("role=\"alert\"") && text.contains("uscc"), "[{b}] {text}");
        let r = post(&s, &h, "/organisations/new", &new).send().await.unwrap();
        assert!(r.url().path().starts_with("/organisations/"), "[{b}] {}", r.url());
        let page = r.text().await.unwrap();
        assert!(page.contains("和平精工有限公司") && page.contains("id=\"edit-organisation\""), "[{b}] {page}");
        let o = organisations::by_uscc(&s.app.db, &Scope::all(), &code).await.unwrap().expect("registered");
        assert_eq!((o.kind.as_str(), o.industry.as_deref()), ("enterprise", Some("C")), "[{b}]");
        assert_eq!(organisations::chains_of(&s.app.db, &code).await.unwrap(), ["xinchuang"], "[{b}]");
        // 和平软件有限公司 and the new one: the list says how many it found.
        let list = h.get(&s, "/organisations?name=%E5%92%8C%E5%B9%B3").send().await.unwrap().text().await.unwrap();
        assert!(list.contains("<span data-total>共 2 个单位</span>"), "[{b}] {list}");
        let again = post(&s, &h, "/organisations/new", &new).send().await.unwrap().text().await.unwrap();
        assert!(again.contains("已登记"), "[{b}] {again}");

        let edit = format!("/organisations/{}/edit", o.public_id);
        let form = h.get(&s, &edit).send().await.unwrap().text().await.unwrap();
        assert!(form.contains("value=\"xinchuang\" checked"), "[{b}] the chains ticked: {form}");
        let changed =
            [("uscc", "ignored"), ("name", "和平精工集团有限公司"), ("kind", "enterprise"), ("district", "120101")];
        let r = post(&s, &h, &edit, &changed).send().await.unwrap();
        assert!(r.url().path().ends_with(&o.public_id.to_string()), "[{b}]");
        let after = organisations::by_uscc(&s.app.db, &Scope::all(), &code).await.unwrap().unwrap();
        assert_eq!(after.name, "和平精工集团有限公司", "[{b}]");

        // Another district's organisation is out of reach.
        let a = organisations::by_uscc(&s.app.db, &Scope::all(), &employer_a()).await.unwrap().unwrap();
        let r = h.get(&s, &format!("/organisations/{}/edit", a.public_id)).send().await.unwrap();
        assert_eq!(r.status(), 404, "[{b}]");
        let elsewhere = [("uscc", code.as_str()), ("name", "x"), ("kind", "enterprise"), ("district", "120116")];
        let text = post(&s, &h, &edit, &elsewhere).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("请选择您所辖的区"), "[{b}] {text}");
    })
    .await;
}
