//! Once signed in, each person lands where their work is (issue 15, item
//! 10): a requester on their requests, an expert or coordinator on the
//! team's queue, the regional admin on the dashboards — never an empty page.

use crate::helpers::{
    TestApp,
    browser_like::{cookie_of, location},
};

async fn each_role_lands_where_its_work_is(app: TestApp) {
    for (email, landing) in [
        ("claire.martin@demo.test", "/accueil"),
        ("sophie.lambert@demo.test", "/file-attente"),
        ("celine.fournier@demo.test", "/file-attente"),
        ("helene.garnier@demo.test", "/stats"),
    ] {
        let fields = [
            ("email", email),
            ("password", consilium::demo::DEMO_PASSWORD),
        ];
        let pending = app.post_form("/connexion", None, &fields).await;
        let cookie = cookie_of(&pending).unwrap();
        let code = app.demo_code(email).await;
        let done = app
            .post_form("/connexion/code", Some(&cookie), &[("code", &code)])
            .await;
        assert_eq!(location(&done), landing, "{email}");
        app.next_step();
    }
    app.finish().await;
}

on_both_backends!(each_role_lands_where_its_work_is);
