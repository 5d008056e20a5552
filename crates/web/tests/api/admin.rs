//! 系统管理 in the browser's terms (forms, cookies, CSRF), on every backend: an administrator
//! creates a district administrator with a role picked from lists; the district administrator
//! manages their district and is refused beyond it, in words; roles read as names, never ids;
//! stopping an account stops its sign-in; tokens are shown once and revoked; the audit trail is
//! searched and its chain checked, and the check is remembered.

use crate::support::{date, id_number, on_each_backend};
use crate::users::{PW, sign_in, sign_in_reply};

#[tokio::test(flavor = "multi_thread")]
async fn administrators_manage_accounts_tokens_and_the_audit_trail_from_the_browser() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let root = sign_in(&s, "root").await;
        let page = |r: reqwest::Response| async move { (r.status().as_u16(), r.text().await.unwrap()) };

        let (status, index) = page(root.get(&s, "/admin").send().await.unwrap()).await;
        assert_eq!(status, 200, "{b}");
        assert!(index.contains("用户与角色") && index.contains("审计日志"), "{b}");
        let (_, list) = page(root.get(&s, "/admin/users").send().await.unwrap()).await;
        assert!(list.contains("data-total=\"1\"") && list.contains(">root</a>"), "{b}: {list}");

        // A district administrator for 和平区, from the form.
        let form = [
            ("username", "heping"),
            ("display_name", "和平区管理员"),
            ("password", PW),
            ("kind", "district-admin"),
            ("district", "120101"),
            ("organisation", ""),
            ("id_number", ""),
        ];
        let (status, created) = page(root.post_form(&s, "/admin/users", &form).send().await.unwrap()).await;
        assert_eq!(status, 200, "{b}: {created}");
        assert!(created.contains("已创建账户") && created.contains("区级管理员（和平区）"), "{b}: {created}");

        // heping manages 和平区 accounts and is refused 河西区, with the reason on the form.
        let heping = sign_in(&s, "heping").await;
        let mut beyond = form;
        beyond[0] = ("username", "hexi");
        beyond[4] = ("district", "120103");
        let (status, refused) = page(heping.post_form(&s, "/admin/users", &beyond).send().await.unwrap()).await;
        assert_eq!(status, 200, "{b}");
        assert!(refused.contains("role=\"alert\"") && refused.contains("value=\"hexi\""), "{b}: {refused}");
        assert!(gongjiang_store::accounts::by_username(&s.app.db, "hexi").await.unwrap().is_none(), "{b}");
        let mut within = form;
        within[0] = ("username", "heping2");
        let (_, ok) = page(heping.post_form(&s, "/admin/users", &within).send().await.unwrap()).await;
        assert!(ok.contains("已创建账户"), "{b}: {ok}");
        let (_, theirs) = page(heping.get(&s, "/admin/users").send().await.unwrap()).await;
        assert!(
            theirs.contains(">heping2</a>") && !theirs.contains(">root</a>"),
            "{b}: a district sees its own accounts"
        );
        assert_eq!(heping.get(&s, "/admin/users/root").send().await.unwrap().status(), 404, "{b}");
        assert_eq!(heping.get(&s, "/admin/audit").send().await.unwrap().status(), 403, "{b}");

        // A worker role picked by identity number reads as the person, masked.
        let number = id_number("120101", date(1981, 2, 2), 101);
        let worker = [("kind", "worker"), ("district", ""), ("organisation", ""), ("id_number", number.as_str())];
        let (_, granted) = page(root.post_form(&s, "/admin/users/heping2/roles", &worker).send().await.unwrap()).await;
        assert!(
            granted.contains("已授予角色") && granted.contains("劳动者本人（测试人员01 1201**********"),
            "{b}: {granted}"
        );
        let shown: Vec<&str> = granted.split("<span data-role>").skip(1).filter_map(|t| t.split('<').next()).collect();
        assert!(shown.iter().all(|r| !r.contains(':')), "{b}: roles read as names, not ids: {shown:?}");

        // Stopping an account stops its sign-in; starting it again lets it back.
        let stop = [("action", "disable")];
        let (_, stopped) = page(root.post_form(&s, "/admin/users/heping2/status", &stop).send().await.unwrap()).await;
        assert!(stopped.contains("已停用账户"), "{b}");
        assert_ne!(sign_in_reply(&s, "heping2", PW).await.status, 201, "{b}");
        let start = [("action", "enable")];
        root.post_form(&s, "/admin/users/heping2/status", &start).send().await.unwrap();
        assert_eq!(sign_in_reply(&s, "heping2", PW).await.status, 201, "{b}");
        let (_, own) = page(root.post_form(&s, "/admin/users/root/status", &stop).send().await.unwrap()).await;
        assert!(own.contains("不能停用自己的账户"), "{b}");

        // Revoking a role from its button.
        let revoke = [("role", "district-admin:120101")];
        let (_, after) =
            page(root.post_form(&s, "/admin/users/heping/roles/revoke", &revoke).send().await.unwrap()).await;
        assert!(after.contains("已撤销角色") && after.contains("没有角色"), "{b}: {after}");

        // A token: shown once, listed with its scope, revoked.
        let token = [
            ("owner", "root"),
            ("name", "人社系统"),
            ("days", "30"),
            ("kind", "district-admin"),
            ("district", "120102"),
            ("organisation", ""),
            ("id_number", ""),
        ];
        let (_, made) = page(root.post_form(&s, "/admin/tokens", &token).send().await.unwrap()).await;
        let secret =
            made.split("data-secret>").nth(1).and_then(|t| t.split('<').next()).unwrap_or_default().to_string();
        assert!(secret.starts_with("gjt_"), "{b}: {made}");
        let (_, listed) = page(root.get(&s, "/admin/tokens").send().await.unwrap()).await;
        assert!(!listed.contains(&secret) && listed.contains("区级管理员（河东区）"), "{b}: shown once");
        let probe = s.client().get(format!("{}/api/v1/persons", s.base)).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(probe.status(), 200, "{b}: the token works");
        let id = gongjiang_store::tokens::list(&s.app.db, None).await.unwrap()[0].id.to_string();
        root.post_form(&s, "/admin/tokens/revoke", &[("id", id.as_str())]).send().await.unwrap();
        let probe = s.client().get(format!("{}/api/v1/persons", s.base)).bearer_auth(&secret).send().await.unwrap();
        assert_eq!(probe.status(), 401, "{b}: revoked");

        // The audit trail: searched by action, and its chain checked and remembered.
        let (_, never) = page(root.get(&s, "/admin/audit").send().await.unwrap()).await;
        assert!(never.contains("data-chain=\"never\""), "{b}");
        let (_, grants) = page(root.get(&s, "/admin/audit?action=user.disable").send().await.unwrap()).await;
        assert!(grants.contains(">user.disable<") && !grants.contains(">role.grant<"), "{b}");
        let (_, checked) = page(root.post_form(&s, "/admin/audit/verify", &[("x", "")]).send().await.unwrap()).await;
        assert!(checked.contains("data-chain=\"intact\"") && checked.contains("user:root"), "{b}: {checked}");
    })
    .await;
}

/// A work list read whole (tokens here, as for sessions, claims and imports) shows its total,
/// numbered pages and the page sizes; page 2 holds the rest.
#[tokio::test]
async fn the_token_list_shows_its_total_and_pages() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let actor = crate::users::admin_actor(&s.app).await;
        for k in 0..22 {
            let roles = [gongjiang_domain::access::Role::CityAdmin];
            gongjiang_app::accounts::create_token(&s.app.db, &actor, "root", &format!("批量{k:02}"), &roles, 30)
                .await
                .unwrap();
        }
        let root = sign_in(&s, "root").await;
        let page = |r: reqwest::Response| async move { (r.status().as_u16(), r.text().await.unwrap()) };
        let rows = |html: &str| html.matches("<td data-label=\"#\">").count();
        let (_, first) = page(root.get(&s, "/admin/tokens?size=20").send().await.unwrap()).await;
        assert!(first.contains("<span data-total>共 23 条</span>"), "{b}: {first}");
        assert_eq!(rows(&first), 20, "{b}");
        assert!(first.contains("<strong aria-current=\"page\">1</strong>"), "{b}");
        let second_href = "/admin/tokens?size=20&#38;page=2";
        assert!(first.contains(second_href), "{b}: a link to page 2");
        let (_, second) = page(root.get(&s, "/admin/tokens?size=20&page=2").send().await.unwrap()).await;
        assert_eq!(rows(&second), 3, "{b}");
        let (_, all) = page(root.get(&s, "/admin/tokens?size=50").send().await.unwrap()).await;
        assert_eq!(rows(&all), 23, "{b}");
        // The audit log counts its matches the same way: 22 token.create entries (the
        // server's own token was made before the server ran, by the same call: 23), 20 a page.
        let (_, audit) = page(root.get(&s, "/admin/audit?action=token.create").send().await.unwrap()).await;
        assert!(audit.contains("<span data-total>共 23 条</span>"), "{b}: {audit}");
        assert!(audit.contains("<span data-page>第 1 / 2 页</span>"), "{b}");
        let older = audit.split("rel=\"next\"").next().and_then(|t| t.rsplit("href=\"").next()).unwrap();
        let older = older.split('"').next().unwrap().replace("&#38;", "&");
        let (_, second) = page(root.get(&s, &older).send().await.unwrap()).await;
        assert!(second.contains("第 2 / 2 页") && second.contains("本页 3"), "{b}: {older}");
    })
    .await;
}
