//! Sign-in, sessions, tokens and account administration, on every backend.

use consilium_domain::{
    Email,
    auth::{OpaqueToken, Password, TotpError, TotpSecret, hash_password},
};
use jiff::{SignedDuration, Timestamp};

use super::{now, small_seed};
use crate::{
    Store, StoreError,
    audit::ClientInfo,
    auth::{Actor, AuthError, SessionStage, SessionState},
};

pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) fn client(addr: &str) -> ClientInfo {
    ClientInfo {
        addr: Some(addr.to_owned()),
        request_id: Some("test".into()),
    }
}

pub(crate) fn email(text: &str) -> Email {
    Email::parse(text).unwrap()
}

/// Gives `address` the test password and, if `enrolled`, a TOTP secret.
pub(crate) async fn credentials(
    store: &Store,
    address: &str,
    enrolled: bool,
) -> Option<TotpSecret> {
    let hash = hash_password(&Password::parse(PASSWORD).unwrap(), &mut rand::rng()).unwrap();
    let secret = enrolled.then(|| TotpSecret::generate(&mut rand::rng()));
    store
        .set_initial_credentials(&email(address), &hash, secret.as_ref(), now())
        .await
        .unwrap();
    secret
}

/// Signs in fully (password then code at `at`); returns the active session token.
pub(crate) async fn sign_in_at(
    store: &Store,
    address: &str,
    secret: &TotpSecret,
    at: Timestamp,
) -> OpaqueToken {
    let pending = store
        .sign_in(address, PASSWORD, &client("10.0.0.1"), None, at)
        .await
        .unwrap();
    assert_eq!(pending.stage, SessionStage::SecondFactor);
    let code = secret.code_at(at).unwrap();
    store
        .complete_sign_in(&pending.token, &code, &client("10.0.0.1"), None, at)
        .await
        .unwrap()
        .session
}

pub(crate) async fn actor(store: &Store, token: &OpaqueToken, at: Timestamp) -> Actor {
    match store.session(token, &client("10.0.0.1"), at).await.unwrap() {
        SessionState::Active(actor) => *actor,
        SessionState::Pending(stage) => panic!("session still pending: {stage:?}"),
    }
}

fn is_auth(err: &StoreError, expected: &AuthError) -> bool {
    matches!(err, StoreError::Auth(e) if e == expected)
}

pub async fn password_then_totp_signs_in(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let secret = credentials(&store, "expert@demo.test", true).await.unwrap();
    let wrong = store
        .sign_in(
            "expert@demo.test",
            "not the password",
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap_err();
    assert!(is_auth(&wrong, &AuthError::InvalidCredentials), "{wrong}");
    let pending = store
        .sign_in(
            "Expert@Demo.test ",
            PASSWORD,
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(pending.stage, SessionStage::SecondFactor);
    assert!(matches!(
        store
            .session(&pending.token, &client("10.0.0.1"), now())
            .await
            .unwrap(),
        SessionState::Pending(SessionStage::SecondFactor)
    ));
    let bad_code = store
        .complete_sign_in(&pending.token, "000000", &client("10.0.0.1"), None, now())
        .await;
    if secret.code_at(now()).unwrap() != "000000" {
        assert!(bad_code.is_err());
    }
    let code = secret.code_at(now()).unwrap();
    let active = store
        .complete_sign_in(&pending.token, &code, &client("10.0.0.1"), None, now())
        .await
        .unwrap()
        .session;
    assert_ne!(active, pending.token, "a new cookie value once signed in");
    let signed_in = actor(&store, &active, now()).await;
    assert_eq!(signed_in.person.email.as_str(), "expert@demo.test");
    assert!(
        store
            .session(&pending.token, &client("10.0.0.1"), now())
            .await
            .is_err(),
        "the old value is dead"
    );
    store
        .sign_out(&active, &client("10.0.0.1"), now())
        .await
        .unwrap();
    assert!(
        store
            .session(&active, &client("10.0.0.1"), now())
            .await
            .is_err()
    );
}

pub async fn a_totp_code_works_once(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let secret = credentials(&store, "expert@demo.test", true).await.unwrap();
    sign_in_at(&store, "expert@demo.test", &secret, now()).await;
    let again = store
        .sign_in(
            "expert@demo.test",
            PASSWORD,
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap();
    let code = secret.code_at(now()).unwrap();
    let replay = store
        .complete_sign_in(&again.token, &code, &client("10.0.0.1"), None, now())
        .await
        .unwrap_err();
    assert!(
        is_auth(&replay, &AuthError::Code(TotpError::Replayed)),
        "{replay}"
    );
    let later = now() + SignedDuration::from_secs(30);
    let next = secret.code_at(later).unwrap();
    store
        .complete_sign_in(&again.token, &next, &client("10.0.0.1"), None, later)
        .await
        .unwrap();
}

/// Guessing is slowed where it comes from; the owner is never locked out
/// by someone else's failures (ADR 0015).
pub async fn sign_in_throttling_slows_guessers_not_the_owner(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let secret = credentials(&store, "expert@demo.test", true).await.unwrap();
    credentials(&store, "requester@demo.test", true).await;
    let try_at = |address: &'static str, account: &'static str, password, at, device| {
        let store = &store;
        async move {
            store
                .sign_in(account, password, &client(address), device, at)
                .await
        }
    };
    let locked = |r: &Result<_, StoreError>| matches!(r, Err(e) if is_auth(e, &AuthError::Locked));
    // One address guessing one account: five failures, then that pair is locked.
    for i in 0..100 {
        let at = now() + SignedDuration::from_secs(i);
        let result = try_at("10.0.0.9", "expert@demo.test", "wrong password!", at, None).await;
        assert_eq!(locked(&result), i >= 5, "attempt {i}");
    }
    let soon = now() + SignedDuration::from_mins(1);
    assert!(locked(
        &try_at("10.0.0.9", "expert@demo.test", PASSWORD, soon, None).await
    ));
    // The owner elsewhere, and the address for another account, are not locked.
    let pending = try_at("10.0.0.1", "expert@demo.test", PASSWORD, soon, None)
        .await
        .unwrap();
    let code = secret.code_at(soon).unwrap();
    let signed = store
        .complete_sign_in(&pending.token, &code, &client("10.0.0.1"), None, soon)
        .await
        .unwrap();
    assert!(
        try_at("10.0.0.9", "requester@demo.test", PASSWORD, soon, None)
            .await
            .is_ok()
    );

    // Many addresses guessing one account: it is protected, but its owner's
    // known browser still gets through (from anywhere).
    for i in 0..20u8 {
        let address: &'static str = Box::leak(format!("10.1.0.{i}").into_boxed_str());
        let at = soon + SignedDuration::from_secs(i64::from(i));
        let _ = try_at(address, "expert@demo.test", "wrong password!", at, None).await;
    }
    let later = soon + SignedDuration::from_mins(1);
    assert!(locked(
        &try_at("10.2.0.1", "expert@demo.test", PASSWORD, later, None).await
    ));
    let device = Some(&signed.device);
    assert!(
        try_at("10.2.0.1", "expert@demo.test", PASSWORD, later, device)
            .await
            .is_ok()
    );
    // A known browser of another account is no key to this one.
    for i in 0..5 {
        let at = later + SignedDuration::from_secs(i);
        let _ = try_at(
            "10.2.0.2",
            "requester@demo.test",
            "wrong password!",
            at,
            None,
        )
        .await;
    }
    let with_their_device = try_at(
        "10.2.0.2",
        "requester@demo.test",
        PASSWORD,
        later + SignedDuration::from_secs(9),
        device,
    )
    .await;
    assert!(locked(&with_their_device));

    // One address spraying many accounts: locked for browsers it does not know.
    for i in 0..100 {
        let account: &'static str = Box::leak(format!("nobody{i}@demo.test").into_boxed_str());
        let at = later + SignedDuration::from_secs(i);
        let _ = try_at("10.3.0.1", account, "wrong password!", at, None).await;
    }
    let sprayed = later + SignedDuration::from_mins(2);
    assert!(locked(
        &try_at("10.3.0.1", "requester@demo.test", PASSWORD, sprayed, None).await
    ));

    // A quarter of an hour later everything is open again.
    let after = sprayed + SignedDuration::from_mins(16);
    sign_in_at(&store, "expert@demo.test", &secret, after).await;
    assert!(
        try_at("10.0.0.9", "requester@demo.test", PASSWORD, after, None)
            .await
            .is_ok()
    );
}

pub async fn unknown_accounts_get_the_same_answer(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    credentials(&store, "expert@demo.test", true).await;
    let known = store
        .sign_in(
            "expert@demo.test",
            "wrong password!",
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap_err();
    let unknown = store
        .sign_in(
            "nobody@demo.test",
            "wrong password!",
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap_err();
    let malformed = store
        .sign_in(
            "not an address",
            "wrong password!",
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap_err();
    assert_eq!(known.to_string(), unknown.to_string());
    assert_eq!(known.to_string(), malformed.to_string());
}

pub async fn first_sign_in_enrols_a_second_factor(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    credentials(&store, "requester@demo.test", false).await;
    let pending = store
        .sign_in(
            "requester@demo.test",
            PASSWORD,
            &client("10.0.0.1"),
            None,
            now(),
        )
        .await
        .unwrap();
    assert_eq!(pending.stage, SessionStage::Enrolment);
    let (secret, shown_for) = store.enrolment_secret(&pending.token, now()).await.unwrap();
    assert_eq!(shown_for.as_str(), "requester@demo.test");
    let code = secret.code_at(now()).unwrap();
    store
        .complete_sign_in(&pending.token, &code, &client("10.0.0.1"), None, now())
        .await
        .unwrap();
    let later = now() + SignedDuration::from_mins(5);
    sign_in_at(&store, "requester@demo.test", &secret, later).await;
}

pub async fn sessions_end_when_idle_or_too_old(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let secret = credentials(&store, "expert@demo.test", true).await.unwrap();
    let idle = store.auth_settings().idle_timeout;
    let token = sign_in_at(&store, "expert@demo.test", &secret, now()).await;
    let mut at = now();
    // Used every 20 minutes, it lives until the absolute lifetime.
    let step = SignedDuration::from_mins(20);
    while at.duration_since(now()) + step < store.auth_settings().lifetime {
        at += step;
        actor(&store, &token, at).await;
    }
    at += step;
    assert!(
        store
            .session(&token, &client("10.0.0.1"), at)
            .await
            .is_err(),
        "absolute lifetime"
    );
    let later = at + SignedDuration::from_mins(1);
    let token = sign_in_at(&store, "expert@demo.test", &secret, later).await;
    let too_late = later + idle;
    assert!(
        store
            .session(&token, &client("10.0.0.1"), too_late)
            .await
            .is_err(),
        "idle timeout"
    );
}

pub async fn password_change_ends_other_sessions_and_tokens(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    let secret = credentials(&store, "expert@demo.test", true).await.unwrap();
    let phone = sign_in_at(&store, "expert@demo.test", &secret, now()).await;
    let later = now() + SignedDuration::from_secs(30);
    let desk = sign_in_at(&store, "expert@demo.test", &secret, later).await;
    let (api, _) = store
        .create_token(
            &email("expert@demo.test"),
            SignedDuration::from_hours(24),
            "t",
            later,
        )
        .await
        .unwrap();
    store
        .token_actor(&api, &client("10.0.0.1"), later)
        .await
        .unwrap();
    let me = actor(&store, &desk, later).await;
    let new = Password::parse("a brand new passphrase").unwrap();
    let wrong = store
        .change_password(&me, Some(&desk), "not my password", &new, later)
        .await
        .unwrap_err();
    assert!(is_auth(&wrong, &AuthError::InvalidCredentials));
    assert!(
        store
            .session(&phone, &client("10.0.0.1"), later)
            .await
            .is_ok(),
        "a refused change changes nothing"
    );
    store
        .change_password(&me, Some(&desk), PASSWORD, &new, later)
        .await
        .unwrap();
    assert!(
        store
            .session(&phone, &client("10.0.0.1"), later)
            .await
            .is_err(),
        "other sessions end"
    );
    assert!(
        store
            .session(&desk, &client("10.0.0.1"), later)
            .await
            .is_ok(),
        "this session stays"
    );
    assert!(
        store
            .token_actor(&api, &client("10.0.0.1"), later)
            .await
            .is_err(),
        "tokens end"
    );
    let old = store
        .sign_in(
            "expert@demo.test",
            PASSWORD,
            &client("10.0.0.1"),
            None,
            later,
        )
        .await;
    assert!(old.is_err());
    store
        .sign_in(
            "expert@demo.test",
            "a brand new passphrase",
            &client("10.0.0.1"),
            None,
            later,
        )
        .await
        .unwrap();
}

pub async fn tokens_act_as_their_user_until_revoked_or_expired(store: Store) {
    store.import_directory(&small_seed(), now()).await.unwrap();
    credentials(&store, "expert@demo.test", true).await;
    let ttl = SignedDuration::from_hours(1);
    let (secret, token) = store
        .create_token(&email("expert@demo.test"), ttl, "script", now())
        .await
        .unwrap();
    assert!(secret.expose().starts_with("csl_"));
    let acting = store
        .token_actor(&secret, &client("10.0.0.1"), now())
        .await
        .unwrap();
    assert_eq!(acting.person.email.as_str(), "expert@demo.test");
    assert_eq!(acting.via.code(), "token");
    let expired = store
        .token_actor(&secret, &client("10.0.0.1"), now() + ttl)
        .await
        .unwrap_err();
    assert!(is_auth(&expired, &AuthError::InvalidToken));
    assert_eq!(store.tokens().await.unwrap().len(), 1);
    store.revoke_token(token.id, now()).await.unwrap();
    assert!(
        store
            .token_actor(&secret, &client("10.0.0.1"), now())
            .await
            .is_err()
    );
    assert!(
        store.revoke_token(token.id, now()).await.is_err(),
        "revoking twice is refused"
    );
    let forged = OpaqueToken::from_client("csl_forged");
    assert!(
        store
            .token_actor(&forged, &client("10.0.0.1"), now())
            .await
            .is_err()
    );
    let nobody = store
        .create_token(&email("nobody@demo.test"), ttl, "x", now())
        .await
        .unwrap_err();
    assert!(matches!(nobody, StoreError::NotFound { .. }));
}
