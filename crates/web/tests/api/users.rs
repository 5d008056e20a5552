//! Users for the access tests: made through the app's account use cases (Argon2id, the grant
//! rule, the audit trail), signed in over HTTP, and a client that carries their cookie and CSRF
//! token.

use gongjiang_app::App;
use gongjiang_app::accounts::{self, Actor};
use gongjiang_domain::access::Role;
use serde_json::json;

use crate::support::{Reply, Server};

/// Every test user's password.
pub const PW: &str = "lantern-ferry-31-harbour";

/// The administrator `root`, as the actor of further grants.
pub async fn admin_actor(app: &App) -> Actor {
    let root = gongjiang_store::accounts::by_username(&app.db, "root").await.expect("read").expect("root exists");
    Actor { label: "user:root".into(), user_id: Some(root.id), client_addr: None }
}

/// The first city administrator, `root` (the bootstrap every server of the tests starts
/// with), and an API token of theirs.
pub async fn bootstrap_admin(app: &App) -> String {
    let cli = Actor { label: "cli:test".into(), user_id: None, client_addr: None };
    accounts::create_user(&app.db, &cli, "root", "root", PW, &[Role::CityAdmin]).await.expect("bootstrap root");
    let root = admin_actor(app).await;
    accounts::create_token(&app.db, &root, "root", "tests", &[Role::CityAdmin], 30).await.expect("root's token").token
}

/// Creates `username` with `roles`, granted by `root`.
pub async fn user(app: &App, username: &str, roles: &[Role]) -> i64 {
    let actor = admin_actor(app).await;
    accounts::create_user(&app.db, &actor, username, username, PW, roles).await.expect("create the user")
}

pub async fn sign_in_reply(s: &Server, username: &str, password: &str) -> Reply {
    let body = json!({ "username": username, "password": password });
    s.send(s.client().post(format!("{}/api/v1/session", s.base)).json(&body)).await
}

/// Signs `username` in (password [`PW`]) and returns a client for the session.
pub async fn sign_in(s: &Server, username: &str) -> Signed {
    let r = sign_in_reply(s, username, PW).await;
    assert_eq!(r.status, 201, "[{}] sign in {username}: {}", s.backend, r.text);
    let cookie = r.set_cookie.expect("a session cookie");
    Signed::from_cookie(&cookie, r.json["csrf_token"].as_str().expect("csrf token"))
}

/// A browser's session: the cookie and the CSRF token the sign-in returned.
#[derive(Clone)]
pub struct Signed {
    /// `name=value`, as a `Cookie` header sends it back.
    pub cookie: String,
    pub csrf: String,
}

impl Signed {
    /// From a `Set-Cookie` value (or a bare `name=value`).
    pub fn from_cookie(set_cookie: &str, csrf: &str) -> Signed {
        Signed { cookie: set_cookie.split(';').next().unwrap_or_default().to_string(), csrf: csrf.to_string() }
    }

    pub fn without_csrf(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        req.header("cookie", &self.cookie)
    }

    pub fn with_csrf(&self, req: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
        req.header("cookie", &self.cookie).header("x-csrf-token", token)
    }

    pub fn get(&self, s: &Server, path: &str) -> reqwest::RequestBuilder {
        self.without_csrf(s.client().get(format!("{}{path}", s.base)))
    }

    pub fn post(&self, s: &Server, path: &str) -> reqwest::RequestBuilder {
        self.with_csrf(s.client().post(format!("{}{path}", s.base)), &self.csrf)
    }

    /// POST an HTML form (`application/x-www-form-urlencoded`), as a browser sends one.
    pub fn post_form(&self, s: &Server, path: &str, pairs: &[(&str, &str)]) -> reqwest::RequestBuilder {
        self.post(s, path).header("content-type", "application/x-www-form-urlencoded").body(form(pairs))
    }

    pub fn delete(&self, s: &Server, path: &str) -> reqwest::RequestBuilder {
        self.with_csrf(s.client().delete(format!("{}{path}", s.base)), &self.csrf)
    }
}

/// Form pairs, URL-encoded as a browser encodes them.
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut f = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        f.append_pair(k, v);
    }
    f.finish()
}
