//! The JSON on the wire matches the GKS4 API docs page (`/work/shared/seed/gks4-api-docs.txt`,
//! the request and response examples of `POST /api/v1/customers`,
//! `GET /api/v1/customers/{customerNumber}` and `POST /api/v1/salesorders`, and the curl example
//! of the token request): member names, `null` for required-nullable fields, absent optional and
//! read-only fields, RFC 3339 dates, headers, and decoding of the documented answers.

use gks_api as api;

use std::collections::BTreeMap;

use api::types::{
    Address, Allotment, BillingContact, Customer, CustomerRequired, PlaceSalesOrderResponse,
    SalesOrder, SalesOrderLanguageCode, SalesOrderLine, SalesOrderRequired, ShipTo,
};
use api::{Client, Error, RetryPolicy};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};
use wiremock::{MockServer, Request, ResponseTemplate};

mod common;
use common::{TOKEN_PATH, builder_with, header, mount, requests_to, server_with_tokens};

/// The credentials of the docs page's curl example.
const CLIENT_ID: &str = "your_client_id";
const SECRET: &str = "your_client_secret";

/// The request example of `POST /api/v1/salesorders`, verbatim from the docs page except
/// `languageCode`: the page shows the placeholder `"text"`, but its field list allows only
/// `sv`, `no` and `en`, so the equivalent order sends `"sv"`.
const DOCS_SALES_ORDER: &str = r#"{
  "customerNumber": "K100421",
  "billingContact": {
    "firstName": "text",
    "lastName": "text",
    "email": "text",
    "phone": "text",
    "phoneMobile": "text",
    "eInvoiceCode": "text"
  },
  "billingCompanyInfo": null,
  "billTo": null,
  "shipTo": null,
  "orderTitle": "text",
  "promisedDeliveryDate": "2025-06-01T00:53:39.312Z",
  "ordered": "2025-06-01T00:53:39.312Z",
  "purchaseOrderNumber": "text",
  "isExport": true,
  "isExportWithinEu": true,
  "languageCode": "sv",
  "currencyCode": "SEK",
  "noteFromCustomer": "text",
  "salesOrderlines": [
    {
      "articleNumber": "text",
      "description": "text",
      "quantity": 1,
      "salesUnit": "text",
      "unitPrice": 1,
      "vatPercent": 1,
      "discountPercent": 1,
      "costWork": 1,
      "costMaterial": 1,
      "costSubcontractWork": 1,
      "profitCenterCode": "14",
      "weightPerUnit": 1,
      "shipOrderline": true,
      "allotments": [
        {
          "qtyToShip": 1,
          "shipTo": {
            "recipientName": "text",
            "address": {
              "address1": "Storgatan 1",
              "address2": "Garageinfart 2",
              "address3": "text",
              "city": "Stockholm",
              "zipCode": "114 44",
              "state": "FL",
              "countryCode": "SE"
            },
            "contactName": "text",
            "contactMobilePhone": "text",
            "contactEmail": "text"
          }
        }
      ]
    }
  ]
}"#;

/// The request example of `POST /api/v1/customers`, which is also the 200 example of
/// `GET /api/v1/customers/{customerNumber}`, verbatim from the docs page.
const DOCS_CUSTOMER: &str = r#"{
  "name": "text",
  "number": "text",
  "invoiceEmail": "text",
  "postalAddress": {
    "address1": "Storgatan 1",
    "address2": "Garageinfart 2",
    "address3": "text",
    "city": "Stockholm",
    "zipCode": "114 44",
    "state": "FL",
    "countryCode": "SE"
  },
  "corporateIdentityNumber": "text"
}"#;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn docs_json(text: &str) -> Value {
    serde_json::from_str(text).expect("docs example is JSON")
}

/// `2025-06-01T00:53:39.312Z`, the date of the docs example.
fn docs_date() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-06-01T00:53:39.312Z")
        .expect("RFC 3339")
        .with_timezone(&Utc)
}

fn docs_address() -> Address {
    Address::new()
        .with_address1("Storgatan 1")
        .with_address2("Garageinfart 2")
        .with_address3("text")
        .with_city("Stockholm")
        .with_zip_code("114 44")
        .with_state("FL")
        .with_country_code("SE")
}

/// A `SalesOrder` equivalent to the docs' request example.
#[allow(deprecated)] // `ordered` is deprecated in the spec, but the docs example sends it
fn docs_sales_order() -> SalesOrder {
    let line = SalesOrderLine::new()
        .with_article_number("text")
        .with_description("text")
        .with_quantity(1.0)
        .with_sales_unit("text")
        .with_unit_price(1.0)
        .with_vat_percent(1.0)
        .with_discount_percent(1.0)
        .with_cost_work(1.0)
        .with_cost_material(1.0)
        .with_cost_subcontract_work(1.0)
        .with_profit_center_code("14")
        .with_weight_per_unit(1.0)
        .with_ship_orderline(true)
        .with_allotments(vec![
            Allotment::new().with_qty_to_ship(1.0).with_ship_to(
                ShipTo::new()
                    .with_recipient_name("text")
                    .with_address(docs_address())
                    .with_contact_name("text")
                    .with_contact_mobile_phone("text")
                    .with_contact_email("text"),
            ),
        ]);
    SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "text".into(),
        is_export: true,
        is_export_within_eu: true,
    })
    .with_billing_contact(
        BillingContact::new()
            .with_first_name("text")
            .with_last_name("text")
            .with_email("text")
            .with_phone("text")
            .with_phone_mobile("text")
            .with_e_invoice_code("text"),
    )
    .with_order_title("text")
    .with_promised_delivery_date(docs_date())
    .with_ordered(docs_date())
    .with_language_code(SalesOrderLanguageCode::Sv)
    .with_currency_code("SEK")
    .with_note_from_customer("text")
    .with_sales_orderlines(vec![line])
}

/// A `Customer` equivalent to the docs' request example.
fn docs_customer() -> Customer {
    Customer::new(CustomerRequired {
        name: "text".into(),
        corporate_identity_number: "text".into(),
    })
    .with_number("text")
    .with_invoice_email("text")
    .with_postal_address(docs_address())
}

/// A server with the token endpoint and both POST operations answering success.
async fn start_server() -> MockServer {
    let server = server_with_tokens().await;
    mount(
        &server,
        "POST",
        "/api/v1/salesorders",
        ResponseTemplate::new(200).set_body_json(json!({"orderNumber": 1})),
    )
    .await;
    mount(
        &server,
        "POST",
        "/api/v1/customers",
        ResponseTemplate::new(200),
    )
    .await;
    server
}

fn client(server: &MockServer) -> Client {
    builder_with(server, CLIENT_ID, SECRET)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client builds")
}

/// Answers `GET /api/v1/customers/K100421` with the docs page's customer example.
async fn mount_docs_customer(server: &MockServer) {
    mount(
        server,
        "GET",
        "/api/v1/customers/K100421",
        ResponseTemplate::new(200).set_body_raw(DOCS_CUSTOMER, "application/json"),
    )
    .await;
}

/// Places `order` and returns the JSON body the server received.
async fn sent_order(order: &SalesOrder) -> Value {
    let server = start_server().await;
    let placed = client(&server)
        .place_sales_order(order)
        .await
        .expect("placed");
    assert_eq!(placed.order_number, 1);
    let requests = requests_to(&server, "/api/v1/salesorders").await;
    assert_eq!(requests.len(), 1);
    requests[0].body_json().expect("JSON body")
}

/// Creates `customer` and returns the JSON body the server received.
async fn sent_customer(customer: &Customer) -> Value {
    let server = start_server().await;
    client(&server)
        .create_customer(customer)
        .await
        .expect("created");
    let requests = requests_to(&server, "/api/v1/customers").await;
    assert_eq!(requests.len(), 1);
    requests[0].body_json().expect("JSON body")
}

/// Asserts that `actual` equals `expected`: the same member names at every level (nothing
/// missing, nothing extra), the same strings, booleans and nulls, and numbers of equal value
/// (`1` in the docs equals `1.0` on the wire). Panics with the JSON pointer of the first
/// difference.
fn assert_same_json(actual: &Value, expected: &Value) {
    if let Err(difference) = compare(actual, expected, String::new()) {
        panic!(
            "{difference}\nactual:   {}\nexpected: {}",
            serde_json::to_string_pretty(actual).unwrap_or_default(),
            serde_json::to_string_pretty(expected).unwrap_or_default()
        );
    }
}

fn compare(actual: &Value, expected: &Value, at: String) -> Result<(), String> {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            // Sorted, so the check does not depend on serde_json's `preserve_order` feature.
            let mut a_keys: Vec<&String> = a.keys().collect();
            let mut e_keys: Vec<&String> = e.keys().collect();
            a_keys.sort();
            e_keys.sort();
            if a_keys != e_keys {
                return Err(format!(
                    "at {at:?}: member names differ: sent {a_keys:?}, docs {e_keys:?}"
                ));
            }
            for (key, value) in a {
                compare(value, &e[key], format!("{at}/{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(e)) => {
            if a.len() != e.len() {
                return Err(format!("at {at:?}: {} items, docs {}", a.len(), e.len()));
            }
            for (index, (a, e)) in a.iter().zip(e).enumerate() {
                compare(a, e, format!("{at}/{index}"))?;
            }
            Ok(())
        }
        (Value::Number(a), Value::Number(e)) if a.as_f64() == e.as_f64() => Ok(()),
        (a, e) if a == e => Ok(()),
        (a, e) => Err(format!("at {at:?}: sent {a}, docs {e}")),
    }
}

/// The member names of an object, sorted.
fn members(value: &Value) -> Vec<&str> {
    let mut names: Vec<&str> = value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    names.sort();
    names
}

// ---------------------------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn sales_order_body_matches_the_docs_example() {
    let mut order = docs_sales_order();
    // Read-only: never sent, even when set.
    order.has_allotments = Some(true);
    let sent = sent_order(&order).await;
    assert_same_json(&sent, &docs_json(DOCS_SALES_ORDER));
    assert!(sent.get("hasAllotments").is_none(), "{sent}");
    // Dates as RFC 3339 in UTC, with the milliseconds of the docs example.
    assert_eq!(sent["promisedDeliveryDate"], "2025-06-01T00:53:39.312Z");
    assert_eq!(sent["ordered"], "2025-06-01T00:53:39.312Z");
}

#[tokio::test]
async fn sales_order_unset_fields_are_null_or_absent() {
    let mut order = SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    });
    order.has_allotments = Some(false);
    let sent = sent_order(&order).await;
    // Required-nullable members (deprecated `ordered` too) are sent as null; optional
    // (`billingContact`, `salesOrderlines`) and read-only (`hasAllotments`) members are left out.
    assert_same_json(
        &sent,
        &json!({
            "customerNumber": "K100421",
            "billingCompanyInfo": null,
            "billTo": null,
            "shipTo": null,
            "orderTitle": null,
            "promisedDeliveryDate": null,
            "ordered": null,
            "purchaseOrderNumber": "PO-1",
            "isExport": false,
            "isExportWithinEu": true,
            "languageCode": null,
            "currencyCode": null,
            "noteFromCustomer": null
        }),
    );
    for name in [
        "billingCompanyInfo",
        "billTo",
        "shipTo",
        "orderTitle",
        "promisedDeliveryDate",
        "ordered",
        "languageCode",
        "currencyCode",
        "noteFromCustomer",
    ] {
        assert_eq!(sent.get(name), Some(&Value::Null), "{name} in {sent}");
    }
    for name in ["hasAllotments", "billingContact", "salesOrderlines"] {
        assert!(sent.get(name).is_none(), "{name} in {sent}");
    }
}

#[tokio::test]
async fn nested_optional_fields_are_absent_when_unset() {
    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: false,
    })
    .with_billing_contact(BillingContact::new().with_email("a@example.com"))
    .with_bill_to(ShipTo::new().with_recipient_name("Acme AB"))
    .with_ship_to(ShipTo::new().with_address(Address::new().with_city("Stockholm")))
    .with_billing_company_info(BTreeMap::from([(
        "vatNumber".to_owned(),
        json!("SE556677889901"),
    )]))
    .with_sales_orderlines(vec![
        SalesOrderLine::new()
            .with_article_number("A-1")
            .with_quantity(2.5)
            .with_allotments(vec![Allotment::new().with_qty_to_ship(2.5)]),
    ]);
    let sent = sent_order(&order).await;
    assert_eq!(sent["billingContact"], json!({"email": "a@example.com"}));
    assert_eq!(sent["billTo"], json!({"recipientName": "Acme AB"}));
    assert_eq!(sent["shipTo"], json!({"address": {"city": "Stockholm"}}));
    assert_eq!(
        sent["billingCompanyInfo"],
        json!({"vatNumber": "SE556677889901"})
    );
    assert_eq!(
        sent["salesOrderlines"],
        json!([{"articleNumber": "A-1", "quantity": 2.5, "allotments": [{"qtyToShip": 2.5}]}])
    );
}

#[tokio::test]
async fn ordered_is_always_sent_and_null_when_unset() {
    // Required and nullable in the spec, though deprecated: a strict ASP.NET model (C#
    // `required` member) refuses a body without the key.
    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    });
    let sent = sent_order(&order).await;
    assert_eq!(
        sent.get("ordered"),
        Some(&serde_json::Value::Null),
        "{sent}"
    );

    let whole_seconds = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 53, 39)
        .single()
        .expect("valid date");
    #[allow(deprecated)]
    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    })
    .with_ordered(whole_seconds)
    .with_promised_delivery_date(docs_date());
    let sent = sent_order(&order).await;
    assert_eq!(sent["ordered"], "2025-06-01T00:53:39Z");
    assert_eq!(sent["promisedDeliveryDate"], "2025-06-01T00:53:39.312Z");
    for name in ["ordered", "promisedDeliveryDate"] {
        let text = sent[name].as_str().expect("a string");
        let parsed = DateTime::parse_from_rfc3339(text).expect("RFC 3339");
        assert_eq!(parsed.offset().local_minus_utc(), 0, "{text}");
    }
}

#[tokio::test]
async fn customer_body_matches_the_docs_example() {
    let sent = sent_customer(&docs_customer()).await;
    assert_same_json(&sent, &docs_json(DOCS_CUSTOMER));
}

#[tokio::test]
async fn customer_unset_fields_are_null_or_absent() {
    let sent = sent_customer(&Customer::new(CustomerRequired {
        name: "Acme AB".into(),
        corporate_identity_number: "556677-8899".into(),
    }))
    .await;
    assert_same_json(
        &sent,
        &json!({
            "name": "Acme AB",
            "number": null,
            "invoiceEmail": null,
            "corporateIdentityNumber": "556677-8899"
        }),
    );
    assert_eq!(sent.get("number"), Some(&Value::Null));
    assert_eq!(sent.get("invoiceEmail"), Some(&Value::Null));
    assert!(sent.get("postalAddress").is_none(), "{sent}");
    assert_eq!(
        members(&sent),
        ["corporateIdentityNumber", "invoiceEmail", "name", "number"]
    );
}

// ---------------------------------------------------------------------------------------------
// Headers and the token request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn api_calls_send_json_and_the_bearer_token() {
    let server = start_server().await;
    mount_docs_customer(&server).await;
    let client = client(&server);
    client
        .create_customer(&docs_customer())
        .await
        .expect("created");
    client.get_customer("K100421").await.expect("read");
    client
        .place_sales_order(&docs_sales_order())
        .await
        .expect("placed");

    let requests = server.received_requests().await.unwrap_or_default();
    let calls: Vec<&Request> = requests
        .iter()
        .filter(|r| r.url.path() != TOKEN_PATH)
        .collect();
    assert_eq!(calls.len(), 3);
    for request in &calls {
        assert_eq!(
            header(request, "authorization"),
            Some("Bearer tok-SECRET-1"),
            "{} {}",
            request.method,
            request.url
        );
        if request.method.as_str() == "POST" {
            assert_eq!(
                header(request, "content-type"),
                Some("application/json"),
                "{}",
                request.url
            );
        } else {
            assert!(request.body.is_empty(), "{}", request.url);
        }
    }
    assert_eq!(
        requests.len() - calls.len(),
        1,
        "one token request for three calls"
    );
}

#[tokio::test]
async fn token_request_is_form_encoded_as_in_the_docs_curl_example() {
    let server = start_server().await;
    client(&server)
        .create_customer(&docs_customer())
        .await
        .expect("created");
    let requests = requests_to(&server, TOKEN_PATH).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        header(request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    // curl --data-urlencode 'client_id=your_client_id' --data-urlencode
    // 'client_secret=your_client_secret' --data-urlencode 'grant_type=client_credentials'
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        "client_id=your_client_id&client_secret=your_client_secret&grant_type=client_credentials"
    );
    assert!(header(request, "authorization").is_none());

    // Values are URL-encoded like curl's --data-urlencode does.
    let server = start_server().await;
    let secret = "s3cret+/=&é ~";
    Client::builder(server.uri())
        .client_credentials("id with space", secret)
        .token_url(format!("{}{TOKEN_PATH}", server.uri()))
        .build()
        .expect("builds")
        .create_customer(&docs_customer())
        .await
        .expect("created");
    let requests = requests_to(&server, TOKEN_PATH).await;
    let body = String::from_utf8_lossy(&requests[0].body).into_owned();
    let pairs: Vec<(String, String)> = body
        .split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(name), decode(value))
        })
        .collect();
    assert_eq!(
        pairs,
        [
            ("client_id".to_owned(), "id with space".to_owned()),
            ("client_secret".to_owned(), secret.to_owned()),
            ("grant_type".to_owned(), "client_credentials".to_owned()),
        ],
        "{body}"
    );
}

// ---------------------------------------------------------------------------------------------
// Response bodies
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn docs_get_customer_example_decodes() {
    let server = start_server().await;
    mount_docs_customer(&server).await;
    let customer = client(&server)
        .get_customer("K100421")
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(customer, docs_customer());
    assert_eq!(customer.number.as_deref(), Some("text"));
    assert_eq!(
        customer
            .postal_address
            .as_ref()
            .and_then(|a| a.zip_code.as_deref()),
        Some("114 44")
    );
}

#[tokio::test]
async fn docs_place_sales_order_response_decodes() {
    let server = start_server().await;
    let placed = client(&server)
        .place_sales_order(&docs_sales_order())
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(placed, PlaceSalesOrderResponse::new(1));

    // int64: a .NET `long` above 2^31-1 decodes too.
    let response: PlaceSalesOrderResponse =
        serde_json::from_str(r#"{"orderNumber": 3000000000}"#).expect("decodes");
    assert_eq!(response.order_number, 3_000_000_000);
}

#[tokio::test]
async fn absent_required_nullable_key_reads_as_none() {
    // System.Text.Json with `WhenWritingNull` leaves out every null member.
    let server = start_server().await;
    let without_nulls = r#"{"name":"Acme AB","corporateIdentityNumber":"556677-8899"}"#;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K1",
        ResponseTemplate::new(200).set_body_raw(without_nulls, "application/json"),
    )
    .await;
    let without_name = r#"{"number":"K2","invoiceEmail":null,"corporateIdentityNumber":"1"}"#;
    mount(
        &server,
        "GET",
        "/api/v1/customers/K2",
        ResponseTemplate::new(200).set_body_raw(without_name, "application/json"),
    )
    .await;
    let client = client(&server);

    let customer = client.get_customer("K1").await.expect("nulls left out");
    assert_eq!(customer.number, None);
    assert_eq!(customer.invoice_email, None);
    assert_eq!(customer.name, "Acme AB");

    // A required, non-nullable key stays required.
    let error = client.get_customer("K2").await.expect_err("missing name");
    match &error {
        Error::InvalidResponse(e) => {
            assert_eq!(e.answer().status().as_u16(), 200);
            let message = e.decode_error().to_string();
            assert!(message.contains("missing field `name`"), "{message}");
            assert_eq!(e.answer().body_text(), without_name);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_language_code_from_a_server_is_kept_but_not_parsed() {
    // As a server would send it back: every required member present.
    let from_server = json!({
        "customerNumber": "K100421",
        "billingCompanyInfo": null,
        "billTo": null,
        "shipTo": null,
        "orderTitle": null,
        "promisedDeliveryDate": null,
        "purchaseOrderNumber": "PO-1",
        "isExport": false,
        "isExportWithinEu": true,
        "languageCode": "fi",
        "currencyCode": "EUR",
        "noteFromCustomer": null,
        "hasAllotments": true
    });
    let order: SalesOrder = serde_json::from_value(from_server).expect("decodes");
    assert_eq!(
        order.language_code,
        Some(SalesOrderLanguageCode::Unknown("fi".to_owned()))
    );
    // Read-only members are read.
    assert_eq!(order.has_allotments, Some(true));
    // An unknown value is sent back as it came.
    assert_eq!(
        serde_json::to_value(&order).expect("encodes")["languageCode"],
        "fi"
    );

    let parsed = "fi".parse::<SalesOrderLanguageCode>();
    match parsed {
        Err(e) => {
            assert_eq!(e.value(), "fi");
            assert!(e.to_string().contains("SalesOrderLanguageCode"), "{e}");
        }
        Ok(value) => panic!("\"fi\" parsed as {value:?}"),
    }
    assert_eq!(
        "sv".parse::<SalesOrderLanguageCode>(),
        Ok(SalesOrderLanguageCode::Sv)
    );
    assert_eq!(SalesOrderLanguageCode::VALUES, ["sv", "no", "en"]);
    for value in SalesOrderLanguageCode::VALUES {
        let code: SalesOrderLanguageCode = serde_json::from_value(json!(value)).expect("decodes");
        assert_eq!(code.as_str(), *value);
        assert!(!matches!(code, SalesOrderLanguageCode::Unknown(_)));
    }
}

#[tokio::test]
async fn empty_customer_number_is_rejected_before_sending() {
    let server = start_server().await;
    let mut order = docs_sales_order();
    order.customer_number = String::new();
    let error = client(&server)
        .place_sales_order(&order)
        .await
        .expect_err("rejected");
    match &error {
        Error::InvalidRequest(e) => {
            assert_eq!(e.field(), "/customerNumber");
            assert!(e.reason().contains("at least 1"), "{}", e.reason());
        }
        other => panic!("{other:?}"),
    }
    assert!(error.is_invalid_request());
    assert_eq!(
        server.received_requests().await.unwrap_or_default().len(),
        0,
        "nothing sent, not even a token request"
    );
}

#[tokio::test]
async fn enum_setters_take_text_and_the_crate_reexports_what_its_api_uses() {
    let when = gks_api::chrono::Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 53, 39)
        .single()
        .expect("a date");
    let order = SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-1".into(),
        is_export: false,
        is_export_within_eu: true,
    })
    .with_language_code("sv")
    .with_promised_delivery_date(when);
    let sent = sent_order(&order).await;
    assert_eq!(sent["languageCode"], "sv");
    assert_eq!(
        SalesOrderLanguageCode::from("de"),
        SalesOrderLanguageCode::Unknown("de".into())
    );
    let info: gks_api::serde_json::Value = gks_api::serde_json::json!({"vatNumber": "SE1"});
    assert!(info.is_object());
}
