//! The generated mocks (feature `mock`) from an integrator's side: webshop code under test
//! against `gks_api::mock::MockServer`, typed answers, matching on parameters and bodies, and
//! call counts. No network beyond loopback.

use gks_api::mock::MockServer;
use gks_api::types::{
    Customer, CustomerRequired, PlaceSalesOrderResponse, ProblemDetails, SalesOrder,
    SalesOrderRequired,
};
use gks_api::{Client, Error, GetCustomerError, PlaceSalesOrderError};

/// The integrator's own code: places an order and says what happened, for a person to read.
async fn checkout(client: &Client, customer_number: &str) -> String {
    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: customer_number.into(),
        purchase_order_number: "WEB-1001".into(),
        is_export: false,
        is_export_within_eu: false,
    });
    match client.place_sales_order(&order).await {
        Ok(placed) => format!("order {}", placed.order_number),
        Err(Error::Api(e)) if matches!(e.body(), PlaceSalesOrderError::NotFound(_)) => {
            format!("no customer {customer_number} in GKS")
        }
        Err(e) if e.may_have_been_processed() => "check GKS before retrying".to_string(),
        Err(e) => format!("failed: {e}"),
    }
}

#[tokio::test]
async fn place_sales_order_returns_not_found_for_an_unknown_customer_and_the_shop_says_so() {
    let server = MockServer::start().await;
    let client = server.client().expect("client");
    let unknown = server
        .place_sales_order()
        .body_matches(|order| order.customer_number == "K404")
        .times(1)
        .error(PlaceSalesOrderError::NotFound(
            ProblemDetails::new().with_title("Customer not found"),
        ))
        .await;
    let known = server
        .place_sales_order()
        .body_matches(|order| order.customer_number == "K100421")
        .ok(&PlaceSalesOrderResponse::new(4711))
        .await;

    assert_eq!(checkout(&client, "K404").await, "no customer K404 in GKS");
    assert_eq!(checkout(&client, "K100421").await, "order 4711");
    assert_eq!(checkout(&client, "K100421").await, "order 4711");
    assert_eq!((unknown.calls().await, known.calls().await), (1, 2));
}

#[tokio::test]
async fn expectations_match_path_parameters_and_exact_bodies() {
    let server = MockServer::start().await;
    let client = server.client().expect("client");
    let customer = Customer::new(CustomerRequired {
        name: "Acme AB".into(),
        corporate_identity_number: "556677-8899".into(),
    })
    .with_number("K 1/2");
    let _found = server
        .get_customer()
        .customer_number("K 1/2")
        .ok(&customer)
        .await;
    let created = server.create_customer().body(&customer).ok().await;

    let read = client.get_customer("K 1/2").await.expect("mocked");
    assert_eq!(*read, customer);
    // Another customer number is not this expectation: the server answers 404 with no body,
    // which is the documented NotFound.
    let other = client.get_customer("K2").await.expect_err("not mocked");
    assert!(
        matches!(other.api_body(), Some(GetCustomerError::NotFound(_))),
        "{other:?}"
    );
    client.create_customer(&customer).await.expect("same body");
    let different = customer.clone().with_invoice_email("x@example.com");
    assert!(client.create_customer(&different).await.is_err());
    assert_eq!(created.calls().await, 1);
}

#[tokio::test]
async fn a_documented_500_reaches_the_shop_as_an_api_error() {
    let server = MockServer::start().await;
    let client = server.client().expect("client");
    let _down = server
        .place_sales_order()
        .error(PlaceSalesOrderError::InternalServerError)
        .await;
    let text = checkout(&client, "K1").await;
    assert!(text.starts_with("failed: API error: HTTP 500"), "{text}");
}
