//! Workers' own accounts, on every backend: sign-up binds to the record only when the name and
//! number match (a wrong name answers like an unknown number), one account per person, the city
//! may require approval; a password an administrator resets must be replaced before anything else.

use gongjiang_testkit::TestDb;

use crate::support::{Server, date, id_number, on_each_backend, spawn_with};
use crate::users::{PW, form, sign_in, sign_in_reply};

async fn post_signup(s: &Server, name: &str, number: &str, username: &str) -> (u16, String) {
    let body = form(&[
        ("name", name),
        ("id_number", number),
        ("contact", "13800138000"),
        ("username", username),
        ("password", PW),
        ("password_again", PW),
    ]);
    let r = s
        .client()
        .post(format!("{}/signup", s.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn alert(page: &str) -> String {
    page.split("role=\"alert\">").nth(1).and_then(|t| t.split('<').next()).unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_worker_signs_up_bound_to_their_record_and_nobody_elses() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let number = id_number("120101", date(1981, 2, 2), 101);
        let (_, wrong_name) = post_signup(&s, "张冒名", &number, "mallory").await;
        let unknown = id_number("120101", date(1990, 5, 5), 999);
        let (_, unknown_number) = post_signup(&s, "测试人员01", &unknown, "mallory").await;
        assert!(!alert(&wrong_name).is_empty(), "{b}: {wrong_name}");
        assert_eq!(alert(&wrong_name), alert(&unknown_number), "{b}: the same answer either way");
        assert!(gongjiang_store::accounts::by_username(&s.app.db, "mallory").await.unwrap().is_none(), "{b}");

        let (status, page) = post_signup(&s, "测试人员01", &number, "ceshi01").await;
        assert_eq!(status, 200, "{b}");
        assert!(page.contains("账户已创建，请登录"), "{b}: on to sign in: {page}");
        let me = sign_in(&s, "ceshi01").await;
        let data = s.send(me.get(&s, "/api/v1/me/data")).await;
        assert_eq!(data.status, 200, "{b}: {}", data.text);
        assert_eq!(data.json["person"]["name"], "测试人员01", "{b}");

        let (_, again) = post_signup(&s, "测试人员01", &number, "ceshi01b").await;
        assert!(alert(&again).contains("已有账户"), "{b}: one account per person: {again}");

        let audit = gongjiang_store::audit::search(&s.app.db, &Default::default(), None, 50).await.unwrap();
        let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "user.signup_refused").count(), 2, "{b}: {actions:?}");
        assert!(actions.contains(&"user.signup"), "{b}");
        assert!(audit.iter().all(|e| !e.after_json.as_deref().unwrap_or_default().contains(&number)), "{b}: masked");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn with_approval_the_account_waits_and_a_reset_password_must_be_replaced() {
    let options = gongjiang_web::WebOptions { signup: gongjiang_web::Signup::Approval, ..Default::default() };
    let s = spawn_with(TestDb::sqlite(), options, &[]).await;
    let number = id_number("120101", date(1981, 2, 2), 101);
    let (_, page) = post_signup(&s, "测试人员01", &number, "ceshi01").await;
    assert!(page.contains("data-waiting"), "{page}");
    assert_ne!(sign_in_reply(&s, "ceshi01", PW).await.status, 201, "waits for approval");
    let root = sign_in(&s, "root").await;
    root.post_form(&s, "/admin/users/ceshi01/status", &[("action", "enable")]).send().await.unwrap();
    let worker = sign_in(&s, "ceshi01").await;

    // The administrator resets the password: the worker's sign-in ends; with the temporary one,
    // pages lead to /me/password and the API refuses until they set their own.
    let temporary = "harbour-lantern-77-ferry";
    let r = root.post_form(&s, "/admin/users/ceshi01/password", &[("password", temporary)]).send().await.unwrap();
    assert!(r.text().await.unwrap().contains("已设置临时密码"));
    assert_eq!(s.send(worker.get(&s, "/api/v1/me/data")).await.status, 401, "the old sign-in ended");
    let r = sign_in_reply(&s, "ceshi01", temporary).await;
    assert_eq!(r.status, 201);
    let cookie = r.set_cookie.unwrap();
    let w = crate::users::Signed::from_cookie(&cookie, r.json["csrf_token"].as_str().unwrap());
    let home = w.get(&s, "/").send().await.unwrap();
    assert_eq!(home.url().path(), "/me/password", "pages lead to setting one's own password");
    assert!(home.text().await.unwrap().contains("data-must"));
    assert_eq!(s.send(w.get(&s, "/api/v1/me/data")).await.status, 403, "the API refuses meanwhile");
    let pairs = [("current", temporary), ("new", "my-own-secret-pass-2026"), ("new_again", "my-own-secret-pass-2026")];
    let done = w.post_form(&s, "/me/password", &pairs).send().await.unwrap().text().await.unwrap();
    assert!(done.contains("密码已修改"), "{done}");
    assert_eq!(s.send(w.get(&s, "/api/v1/me/data")).await.status, 200, "free again");
    assert_eq!(sign_in_reply(&s, "ceshi01", "my-own-secret-pass-2026").await.status, 201);
}
