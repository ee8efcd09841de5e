//! The store contract (`consilium_store::contract`) on both backends. The
//! test names say which backend ran: `store_contract::postgres::…`.

macro_rules! contract_on_both_backends {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    let (store, _dir) = crate::helpers::sqlite_store().await;
                    consilium_store::contract::$name(store).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(db) = crate::helpers::postgres::PgSchema::fresh().await else { return };
                    consilium_store::contract::$name(db.store.clone()).await;
                    db.drop().await;
                }
            )+
        }
    };
}

consilium_store::for_each_contract_test!(contract_on_both_backends);
