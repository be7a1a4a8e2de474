//! An integrator's crate, outside the workspace: a webshop backend that depends on `gks-api`
//! (with its `mock` feature for the tests) and uses only its public API and README. It makes
//! sure the customer exists, places a three-line order with part of one line shipped to another
//! address, and turns every error kind into something the shop can act on.
//!
//! `xtask/tests/generated_crates.rs` builds it in the scratch workspace as the crate
//! `integrator-webshop` (clippy and rustdoc with `-D warnings`) and runs its tests, against the
//! generated mocks on loopback only.

use gks_api::types::{
    Address, Allotment, Customer, CustomerRequired, SalesOrder, SalesOrderLine, SalesOrderRequired,
    ShipTo,
};
use gks_api::{Client, CreateCustomerError, Error, GetCustomerError, PlaceSalesOrderError};

/// A checkout from the shop's cart.
pub struct Checkout {
    pub customer_number: String,
    pub company: String,
    pub corporate_identity_number: String,
    pub cart_id: String,
    /// Article number, quantity, unit price.
    pub lines: Vec<(String, f64, f64)>,
    /// Part of the first line goes to this branch office instead of the main address.
    pub branch_office: Option<(String, f64)>,
}

/// What happened, in terms the shop acts on.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// GKS took the order.
    Placed { order_number: i64 },
    /// GKS refused the order's content; show the messages to the buyer.
    Refused { messages: Vec<String> },
    /// The order may exist in GKS: park its body for a person to check (the API has no lookup
    /// by purchase order number and no idempotency key), never resend it automatically.
    ParkedForReview { order_json: String },
    /// Nothing reached GKS or it is down: try again later.
    RetryLater { reason: String },
    /// Our credentials or settings are wrong: alert the operator.
    Misconfigured { reason: String },
}

/// Makes sure the customer exists, then places the order.
pub async fn place(client: &Client, checkout: &Checkout) -> Outcome {
    if let Err(outcome) = ensure_customer(client, checkout).await {
        return outcome;
    }
    let order = sales_order(checkout);
    match client.place_sales_order(&order).await {
        Ok(placed) => Outcome::Placed {
            order_number: placed.order_number,
        },
        Err(error) => outcome_of(&error),
    }
}

async fn ensure_customer(client: &Client, checkout: &Checkout) -> Result<(), Outcome> {
    match client.get_customer(&checkout.customer_number).await {
        Ok(_) => Ok(()),
        Err(error) if matches!(error.api_body(), Some(GetCustomerError::NotFound(_))) => {
            let customer = Customer::new(CustomerRequired {
                name: checkout.company.clone(),
                corporate_identity_number: checkout.corporate_identity_number.clone(),
            })
            .with_number(checkout.customer_number.clone());
            match client.create_customer(&customer).await {
                Ok(_) => Ok(()),
                Err(error) => Err(outcome_of(&error)),
            }
        }
        Err(error) => Err(outcome_of(&error)),
    }
}

fn sales_order(checkout: &Checkout) -> SalesOrder {
    let lines: Vec<SalesOrderLine> = checkout
        .lines
        .iter()
        .enumerate()
        .map(|(index, (article, quantity, price))| {
            let line = SalesOrderLine::new()
                .with_article_number(article.clone())
                .with_quantity(*quantity)
                .with_unit_price(*price);
            match (&checkout.branch_office, index) {
                (Some((city, quantity)), 0) => line.with_allotments(vec![
                    Allotment::new().with_qty_to_ship(*quantity).with_ship_to(
                        ShipTo::new()
                            .with_recipient_name(format!("{} ({city})", checkout.company))
                            .with_address(Address::new().with_city(city.clone())),
                    ),
                ]),
                _ => line,
            }
        })
        .collect();
    SalesOrder::new(SalesOrderRequired {
        customer_number: checkout.customer_number.clone(),
        purchase_order_number: checkout.cart_id.clone(),
        is_export: false,
        is_export_within_eu: false,
    })
    .with_language_code("sv")
    .with_sales_orderlines(lines)
}

/// Every error kind, mapped to what the shop does about it.
pub fn outcome_of<E: std::fmt::Debug>(error: &Error<E>) -> Outcome {
    match error {
        Error::MayHaveBeenProcessed(unknown) => Outcome::ParkedForReview {
            order_json: unknown
                .request_body()
                .map(|body| String::from_utf8_lossy(body).into_owned())
                .unwrap_or_default(),
        },
        Error::Api(api) if api.answer().status().is_client_error() => Outcome::Refused {
            messages: refusal_messages(error),
        },
        Error::InvalidRequest(invalid) => Outcome::Refused {
            messages: vec![invalid.to_string()],
        },
        Error::Auth(auth) if auth.is_config_error() => Outcome::Misconfigured {
            reason: auth.to_string(),
        },
        _ if error.is_auth() => Outcome::Misconfigured {
            reason: error.to_string(),
        },
        other => Outcome::RetryLater {
            reason: other.to_string(),
        },
    }
}

/// The server's own words: each field's messages, else the ProblemDetails title.
fn refusal_messages<E: std::fmt::Debug>(error: &Error<E>) -> Vec<String> {
    let fields: Vec<String> = error
        .field_errors()
        .iter()
        .flat_map(|field| {
            field
                .messages()
                .iter()
                .map(move |message| format!("{}: {message}", field.field()))
        })
        .collect();
    if !fields.is_empty() {
        return fields;
    }
    match error {
        Error::Api(api) => vec![api.title().unwrap_or("refused").to_string()],
        other => vec![other.to_string()],
    }
}

/// The documented "no such customer" of `create_customer`, for the shop's logs.
pub fn is_missing_customer(error: &Error<CreateCustomerError>) -> bool {
    matches!(error.api_body(), Some(CreateCustomerError::NotFound(_)))
}

/// The documented "no such customer" of `place_sales_order`.
pub fn is_unknown_customer(error: &Error<PlaceSalesOrderError>) -> bool {
    matches!(error.api_body(), Some(PlaceSalesOrderError::NotFound(_)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gks_api::mock::MockServer;
    use gks_api::types::{PlaceSalesOrderResponse, ProblemDetails, ValidationProblemDetails};
    use std::collections::BTreeMap;

    fn checkout() -> Checkout {
        Checkout {
            customer_number: "K100421".into(),
            company: "Tryckeriet AB".into(),
            corporate_identity_number: "556000-0000".into(),
            cart_id: "WEB-1001".into(),
            lines: vec![
                ("BC-400".into(), 500.0, 1.25),
                ("FLY-A5".into(), 2000.0, 0.40),
                ("ENV-C5".into(), 500.0, 0.90),
            ],
            branch_office: Some(("Göteborg".into(), 200.0)),
        }
    }

    /// Every customer number is known to GKS.
    async fn known_customer(server: &MockServer) -> gks_api::mock::MockHandle {
        server
            .get_customer()
            .ok(&Customer::new(CustomerRequired {
                name: "Tryckeriet AB".into(),
                corporate_identity_number: "556000-0000".into(),
            }))
            .await
    }

    #[tokio::test]
    async fn a_new_customer_is_created_and_the_three_line_order_placed() {
        let server = MockServer::start().await;
        let client = server.client().expect("client");
        let _missing = server
            .get_customer()
            .customer_number("K100421")
            .error(GetCustomerError::NotFound(ProblemDetails::new()))
            .await;
        let created = server
            .create_customer()
            .body_matches(|c| c.number.as_deref() == Some("K100421"))
            .times(1)
            .ok()
            .await;
        let placed = server
            .place_sales_order()
            .body_matches(|order| {
                let lines = order.sales_orderlines.as_deref().unwrap_or_default();
                let allotted = lines
                    .first()
                    .and_then(|line| line.allotments.as_deref())
                    .and_then(|a| a.first())
                    .and_then(|a| a.qty_to_ship);
                lines.len() == 3 && allotted == Some(200.0)
            })
            .times(1)
            .ok(&PlaceSalesOrderResponse::new(4711))
            .await;

        assert_eq!(
            place(&client, &checkout()).await,
            Outcome::Placed { order_number: 4711 }
        );
        assert_eq!((created.calls().await, placed.calls().await), (1, 1));
    }

    #[tokio::test]
    async fn refusals_show_the_servers_field_messages() {
        let server = MockServer::start().await;
        let client = server.client().expect("client");
        let _exists = known_customer(&server).await;
        let mut errors = BTreeMap::new();
        errors.insert(
            "PurchaseOrderNumber".to_string(),
            vec!["The PurchaseOrderNumber field is required.".to_string()],
        );
        let _refused = server
            .place_sales_order()
            .error(PlaceSalesOrderError::BadRequest(
                ValidationProblemDetails::new().with_errors(errors),
            ))
            .await;
        assert_eq!(
            place(&client, &checkout()).await,
            Outcome::Refused {
                messages: vec![
                    "PurchaseOrderNumber: The PurchaseOrderNumber field is required.".into()
                ]
            }
        );
    }

    #[tokio::test]
    async fn a_gateway_503_after_sending_parks_the_order_instead_of_resending_it() {
        let server = MockServer::start().await;
        let client = server.client().expect("client");
        let _exists = known_customer(&server).await;
        let gateway = server.place_sales_order().status(503).await;
        match place(&client, &checkout()).await {
            Outcome::ParkedForReview { order_json } => {
                assert!(order_json.contains("\"purchaseOrderNumber\":\"WEB-1001\""));
            }
            other => panic!("a 503 after sending must park the order, got {other:?}"),
        }
        assert_eq!(gateway.calls().await, 1, "never resent");
    }

    #[tokio::test]
    async fn an_unknown_customer_at_order_time_is_told_apart() {
        let server = MockServer::start().await;
        let client = server.client().expect("client");
        let _unknown = server
            .place_sales_order()
            .error(PlaceSalesOrderError::NotFound(ProblemDetails::new()))
            .await;
        let order = sales_order(&checkout());
        let error = client.place_sales_order(&order).await.expect_err("404");
        assert!(is_unknown_customer(&error));
        assert!(matches!(outcome_of(&error), Outcome::Refused { .. }));
    }

    #[tokio::test]
    async fn nothing_listening_means_retry_later_and_bad_input_is_refused_before_sending() {
        let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let client = Client::builder(format!("http://127.0.0.1:{closed_port}"))
            .retry_policy(gks_api::RetryPolicy::none())
            .build()
            .expect("client");
        let error = client.get_customer("K1").await.expect_err("no server");
        assert!(matches!(outcome_of(&error), Outcome::RetryLater { .. }));
        let error = client.get_customer("").await.expect_err("empty number");
        assert!(matches!(outcome_of(&error), Outcome::Refused { .. }));
    }
}
