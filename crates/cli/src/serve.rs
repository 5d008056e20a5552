//! `gongjiang serve`: the web application and the HTTP API, with demo data first if asked.

use std::future::Future;
use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use gongjiang_app::App;

use crate::output::progress_bar;

#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Load demo data first if the database has no persons yet
    #[arg(long)]
    pub demo: bool,
    /// Persons to generate with --demo
    #[arg(long, default_value_t = 20_000)]
    pub demo_persons: u64,
    /// Public endpoints (certificate verification): sustained requests per minute per client address
    #[arg(long, default_value_t = 60)]
    pub public_rate: u32,
    /// Public endpoints: requests a client may make at once
    #[arg(long, default_value_t = 20)]
    pub public_burst: u32,
    /// Sign-in attempts per minute per client address (each account also locks after 5 failures)
    #[arg(long, default_value_t = gongjiang_web::rate_limit::PublicRate::SIGN_IN.per_minute)]
    pub sign_in_rate: u32,
    /// Address of a reverse proxy in front of the service whose X-Forwarded-For names the
    /// client (repeat, or separate with commas); the audit trail and rate limits then see the real client
    #[arg(long, env = "GONGJIANG_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// Do not publish the skills statistics page (/public/kpi) to visitors without sign-in
    #[arg(long)]
    pub no_public_kpi: bool,
    /// Workers' own accounts at /signup (bound by name and identity number): open (work at
    /// once), approval (an administrator enables them) or off
    #[arg(long, env = "GONGJIANG_SIGNUP", default_value = "open", value_parser = ["open", "approval", "off"])]
    pub signup: String,
}

/// `https`: the public address is https:// (the session cookie is then `Secure`).
pub async fn run(args: &ServeArgs, https: bool, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let ServeArgs {
        addr,
        demo,
        demo_persons,
        public_rate,
        public_burst,
        sign_in_rate,
        trusted_proxy,
        no_public_kpi,
        signup,
    } = args;
    let app = app.await?;
    let Some(issuing) = app.credentials.clone() else {
        bail!("--issuer-keys (GONGJIANG_ISSUER_KEYS) is required with PostgreSQL, to sign certificates");
    };
    let signed = issuing.sign_missing(&app.db).await?;
    if signed > 0 {
        eprintln!("已为 {signed} 份证书签名 / signed {signed} certificate credentials");
    }
    if *demo && gongjiang_store::persons::count(&app.db).await? == 0 {
        eprintln!("正在生成演示数据 / generating demo data: {demo_persons} persons …");
        let pb = progress_bar("演示数据 demo");
        let s = gongjiang_demo::load(&app, *demo_persons, 2025, &|n| pb.set_position(n)).await?;
        pb.finish_and_clear();
        eprintln!("{}", serde_json::to_string(&s)?);
        let e = gongjiang_demo::evaluation::run(&app).await?;
        eprintln!("演示评价计划 / demo evaluation: {}", serde_json::to_string(&e)?);
    }
    eprintln!("gongjiang 已启动 / listening on http://{addr}  (API: /api/v1, 文档 docs: /api/docs)");
    let public_rate = gongjiang_web::rate_limit::PublicRate { per_minute: *public_rate, burst: *public_burst };
    let options = gongjiang_web::WebOptions {
        public_rate,
        sign_in_rate: gongjiang_web::rate_limit::PublicRate {
            per_minute: *sign_in_rate,
            ..gongjiang_web::rate_limit::PublicRate::SIGN_IN
        },
        // Over HTTPS the session cookie is `Secure` and `__Host-`-prefixed.
        https,
        trusted_proxies: trusted_proxy.clone(),
        public_kpi: !*no_public_kpi,
        signup: gongjiang_web::Signup::parse(signup).unwrap_or_default(),
    };
    gongjiang_web::serve(app, *addr, &options).await?;
    Ok(ExitCode::SUCCESS)
}
