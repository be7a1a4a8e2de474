//! `gks-api` against a strict ASP.NET-style server on loopback: bodies checked against the
//! `required` and `nullable` rules of `spec/gks.yaml` (read here, not through the generator),
//! lenient reading of what such a server sends, documented errors with bodies that are not the
//! documented JSON, values refused before sending, and what error texts show and hide.

mod common;

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use common::{
    CUSTOMER_PATH, CUSTOMERS_PATH, ORDERS_PATH, TOKEN_PATH, assert_no_secret, builder_with, client,
    mount, order, requests_to, server_with_tokens, token_requests,
};
use gks_api::types::{
    Address, Allotment, BillingContact, Customer, CustomerRequired, SalesOrder,
    SalesOrderLanguageCode, SalesOrderLine, ShipTo,
};
use gks_api::{Error, GetCustomerError, PlaceSalesOrderError};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The spec as data: the strict server's rules come from the document itself.
fn spec() -> Value {
    serde_yaml::from_str(include_str!("../../spec/gks.yaml")).expect("spec/gks.yaml parses")
}

/// Follows `$ref`s and `allOf`s of one member to the schema that has the shape.
fn resolve<'a>(spec: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..16 {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let name = target.trim_start_matches("#/components/schemas/");
            schema = &spec["components"]["schemas"][name];
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else if let Some([only]) = schema
            .get("anyOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            schema = only;
        } else {
            break;
        }
    }
    schema
}

/// What ASP.NET Core's model binding with C# `required` members refuses: a missing required
/// key, `null` where the schema is not nullable, a value of the wrong JSON type, a string
/// outside a closed `enum`. Errors are keyed by JSON pointer.
fn violations(spec: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let shape = resolve(spec, schema);
    if value.is_null() {
        if !nullable && shape.get("nullable") != Some(&Value::Bool(true)) {
            out.push(format!("{at}: null is not allowed"));
        }
        return;
    }
    let type_ok = match shape.get("type").and_then(Value::as_str) {
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("number") => value.is_number(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("boolean") => value.is_boolean(),
        _ => true,
    };
    if !type_ok {
        out.push(format!("{at}: {value} is not of type {}", shape["type"]));
        return;
    }
    if let (Some(allowed), Some(text)) =
        (shape.get("enum").and_then(Value::as_array), value.as_str())
        && !allowed.iter().any(|v| v.as_str() == Some(text))
    {
        out.push(format!("{at}: {text:?} is not an allowed value"));
    }
    if let Some(items) = value.as_array() {
        for (index, item) in items.iter().enumerate() {
            violations(spec, &shape["items"], item, &format!("{at}/{index}"), out);
        }
    }
    if let Some(members) = value.as_object() {
        let properties = shape.get("properties");
        for key in shape
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let key = key.as_str().unwrap_or_default();
            // A required readOnly member is required in responses only.
            let read_only = properties
                .and_then(|p| p.get(key))
                .and_then(|p| p.get("readOnly"))
                == Some(&Value::Bool(true));
            if !members.contains_key(key) && !read_only {
                out.push(format!("{at}/{key}: required key missing"));
            }
        }
        if let Some(properties) = shape.get("properties").and_then(Value::as_object) {
            for (key, member) in members {
                if let Some(schema) = properties.get(key) {
                    violations(spec, schema, member, &format!("{at}/{key}"), out);
                }
            }
        }
    }
}

/// A strict server for one request body schema: 400 ValidationProblemDetails on any violation,
/// else `ok`.
struct StrictServer {
    spec: Value,
    schema: &'static str,
    ok: ResponseTemplate,
}

impl Respond for StrictServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return ResponseTemplate::new(400).set_body_string("not JSON");
        };
        let schema = json!({ "$ref": format!("#/components/schemas/{}", self.schema) });
        let mut found = Vec::new();
        violations(&self.spec, &schema, &body, "", &mut found);
        if found.is_empty() {
            return self.ok.clone();
        }
        let errors: BTreeMap<String, Vec<String>> =
            found.into_iter().map(|v| (v.clone(), vec![v])).collect();
        ResponseTemplate::new(400).set_body_json(json!({
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            "title": "One or more validation errors occurred.",
            "status": 400,
            "errors": errors,
        }))
    }
}

async fn strict_server() -> MockServer {
    let server = server_with_tokens().await;
    for (route, schema, ok) in [
        (CUSTOMERS_PATH, "Customer", ResponseTemplate::new(200)),
        (
            ORDERS_PATH,
            "SalesOrder",
            ResponseTemplate::new(200).set_body_json(json!({"orderNumber": 4711})),
        ),
    ] {
        Mock::given(method("POST"))
            .and(path(route))
            .respond_with(StrictServer {
                spec: spec(),
                schema,
                ok,
            })
            .mount(&server)
            .await;
    }
    server
}

fn full_address() -> Address {
    Address::new()
        .with_address1("Storgatan 1")
        .with_address2("c/o Tryck")
        .with_address3("Plan 2")
        .with_city("Stockholm")
        .with_zip_code("114 44")
        .with_state("Stockholms län")
        .with_country_code("SE")
}

fn full_ship_to() -> ShipTo {
    ShipTo::new()
        .with_recipient_name("Acme AB")
        .with_address(full_address())
        .with_contact_name("Anna")
        .with_contact_mobile_phone("+46701234567")
        .with_contact_email("anna@example.com")
}

#[allow(deprecated)] // `ordered` is deprecated, and still a key the server requires
fn full_order() -> SalesOrder {
    let line = SalesOrderLine::new()
        .with_article_number("BC-400")
        .with_description("Business cards")
        .with_quantity(500.0)
        .with_sales_unit("pcs")
        .with_unit_price(1.25)
        .with_vat_percent(25.0)
        .with_discount_percent(0.0)
        .with_cost_work(10.0)
        .with_cost_material(20.0)
        .with_cost_subcontract_work(0.5)
        .with_profit_center_code("PC1")
        .with_weight_per_unit(0.002)
        .with_ship_orderline(true)
        .with_allotments(vec![
            Allotment::new()
                .with_qty_to_ship(500.0)
                .with_ship_to(full_ship_to()),
        ]);
    let when = Utc
        .with_ymd_and_hms(2025, 6, 1, 0, 53, 39)
        .single()
        .expect("a date");
    order()
        .with_billing_contact(
            BillingContact::new()
                .with_first_name("Anna")
                .with_last_name("Andersson")
                .with_email("anna@example.com")
                .with_phone("+4681234567")
                .with_phone_mobile("+46701234567")
                .with_e_invoice_code("EI-1"),
        )
        .with_billing_company_info(BTreeMap::from([("vatNumber".to_owned(), json!("SE1"))]))
        .with_bill_to(full_ship_to())
        .with_ship_to(full_ship_to())
        .with_order_title("Business cards")
        .with_promised_delivery_date(when)
        .with_ordered(when)
        .with_language_code(SalesOrderLanguageCode::Sv)
        .with_currency_code("SEK")
        .with_note_from_customer("Leave at the door")
        .with_sales_orderlines(vec![line])
}

#[test]
fn the_strict_checker_itself_refuses_what_it_should() {
    let spec = spec();
    let schema = json!({"$ref": "#/components/schemas/SalesOrder"});
    let mut found = Vec::new();
    let body = json!({"customerNumber": null, "languageCode": "de", "salesOrderlines": [{"quantity": "x"}]});
    violations(&spec, &schema, &body, "", &mut found);
    for expected in [
        "/customerNumber: null is not allowed",
        "/ordered: required key missing",
        "/languageCode: \"de\" is not an allowed value",
        "/salesOrderlines/0/quantity: \"x\" is not of type \"number\"",
    ] {
        assert!(
            found.iter().any(|f| f == expected),
            "{expected} not in {found:#?}"
        );
    }
}

#[tokio::test]
async fn minimal_and_full_bodies_pass_a_strict_server() {
    let server = strict_server().await;
    let client = client(&server);
    let placed = client.place_sales_order(&order()).await;
    assert_eq!(
        placed.map(|p| p.order_number).map_err(|e| e.to_string()),
        Ok(4711)
    );
    let placed = client.place_sales_order(&full_order()).await;
    assert_eq!(
        placed.map(|p| p.order_number).map_err(|e| e.to_string()),
        Ok(4711)
    );
    let minimal = Customer::new(CustomerRequired {
        name: "Acme AB".into(),
        corporate_identity_number: "556677-8899".into(),
    });
    let full = Customer::new(CustomerRequired {
        name: "Acme AB".into(),
        corporate_identity_number: "556677-8899".into(),
    })
    .with_number("K100421")
    .with_invoice_email("invoice@example.com")
    .with_postal_address(full_address());
    for customer in [minimal, full] {
        let created = client.create_customer(&customer).await;
        assert!(created.is_ok(), "{created:?}");
    }
}

#[tokio::test]
async fn documented_errors_with_other_bodies_stay_typed() {
    let server = server_with_tokens().await;
    let html = "<html><body><h1>404 Not Found</h1>nginx</body></html>";
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(404).set_body_raw(html, "text/html"),
    )
    .await;
    mount(
        &server,
        "POST",
        ORDERS_PATH,
        ResponseTemplate::new(400).set_body_raw("Bad Request", "text/plain"),
    )
    .await;
    let client = client(&server);

    let error = client.get_customer("K100421").await.expect_err("404");
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert!(
        matches!(api.body(), GetCustomerError::NotFound(p) if p.title.is_none()),
        "{api:?}"
    );
    assert!(api.decode_error().is_some());
    assert_eq!(api.raw_body().as_ref(), html.as_bytes());
    assert!(
        error.to_string().contains("not in the documented form"),
        "{error}"
    );

    let error = client.place_sales_order(&order()).await.expect_err("400");
    assert!(
        matches!(error.api_body(), Some(PlaceSalesOrderError::BadRequest(v)) if v.errors.is_none()),
        "{error:?}"
    );
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&b"Bad Request"[..])
    );
}

#[tokio::test]
async fn values_json_cannot_carry_or_the_spec_does_not_allow_are_refused_before_sending() {
    let server = strict_server().await;
    let client = client(&server);
    let line = |l: SalesOrderLine| order().with_sales_orderlines(vec![SalesOrderLine::new(), l]);
    let cases = [
        (
            line(SalesOrderLine::new().with_quantity(f64::NAN)),
            "/salesOrderlines/1/quantity",
        ),
        (
            line(SalesOrderLine::new().with_unit_price(f64::INFINITY)),
            "/salesOrderlines/1/unitPrice",
        ),
        (
            line(
                SalesOrderLine::new()
                    .with_allotments(vec![Allotment::new().with_qty_to_ship(f64::NEG_INFINITY)]),
            ),
            "/salesOrderlines/1/allotments/0/qtyToShip",
        ),
        (
            order().with_language_code(SalesOrderLanguageCode::Unknown("de".into())),
            "/languageCode",
        ),
    ];
    for (order, pointer) in cases {
        let error = client.place_sales_order(&order).await.expect_err(pointer);
        match &error {
            Error::InvalidRequest(e) => assert_eq!(e.field(), pointer, "{error}"),
            other => panic!("{pointer}: {other:?}"),
        }
    }
    assert_eq!(
        requests_to(&server, ORDERS_PATH).await.len(),
        0,
        "something was sent"
    );
    assert_eq!(
        token_requests(&server).await,
        0,
        "a token was fetched for nothing"
    );
    // Documented values and finite numbers go through.
    let fine = order()
        .with_language_code(SalesOrderLanguageCode::No)
        .with_sales_orderlines(vec![SalesOrderLine::new().with_quantity(1.5)]);
    assert!(client.place_sales_order(&fine).await.is_ok());
}

#[tokio::test]
async fn a_400_shows_its_field_messages_bounded_and_redacted() {
    let server = server_with_tokens().await;
    let mut errors = serde_json::Map::new();
    errors.insert(
        "CustomerNumber".into(),
        json!(["The CustomerNumber field is required."]),
    );
    errors.insert(
        "SalesOrderlines[0].Quantity".into(),
        json!(["Must be positive.", "x".repeat(5000)]),
    );
    errors.insert(
        "Echo".into(),
        json!(["Bearer tok-SECRET-1 is not allowed here"]),
    );
    for i in 0..50 {
        errors.insert(format!("Z{i:02}"), json!(["more"]));
    }
    let body = json!({
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": errors,
        "traceId": "00-abc-01",
    });
    mount(
        &server,
        "POST",
        ORDERS_PATH,
        ResponseTemplate::new(400).set_body_json(body),
    )
    .await;
    let error = client(&server)
        .place_sales_order(&order())
        .await
        .expect_err("400");
    let text = error.to_string();
    assert!(
        text.starts_with(
            "API error: HTTP 400 Bad Request: One or more validation errors occurred.: "
        ),
        "{text}"
    );
    assert!(
        text.contains("CustomerNumber: The CustomerNumber field is required."),
        "{text}"
    );
    assert!(text.contains("(and 50 more field(s))"), "{text}");
    assert!(text.contains("request id 00-abc-01"), "{text}");
    assert!(text.chars().count() < 800, "{}", text.chars().count());
    assert_eq!(error.field_errors().len(), 53);
    let quantity = error
        .field_errors()
        .iter()
        .find(|f| f.field() == "SalesOrderlines[0].Quantity")
        .expect("the quantity's messages");
    assert_eq!(quantity.messages()[0], "Must be positive.");
    // The token the request carried is redacted from what the error keeps and shows.
    assert_no_secret(&text);
    assert_no_secret(&format!("{error:?}"));
    assert_no_secret(&format!("{:?}", error.field_errors()));
}

#[tokio::test]
async fn an_undecodable_customer_is_not_shown_in_error_texts() {
    let server = server_with_tokens().await;
    let body = json!({
        "name": 17,
        "number": "K100421",
        "invoiceEmail": "anna.andersson@example.com",
        "corporateIdentityNumber": "19800101-1234",
    });
    mount(
        &server,
        "GET",
        CUSTOMER_PATH,
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    let error = client(&server)
        .get_customer("K100421")
        .await
        .expect_err("bad name");
    let Error::InvalidResponse(invalid) = &error else {
        panic!("{error:?}")
    };
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(!shown.contains("anna.andersson"), "{shown}");
        assert!(!shown.contains("19800101"), "{shown}");
        assert!(shown.contains("bytes"), "{shown}");
    }
    assert!(
        error.to_string().contains("invalid type: integer `17`"),
        "{error}"
    );
    assert!(
        invalid
            .answer()
            .body_text()
            .contains("anna.andersson@example.com")
    );
}

/// Echoes the token request's body back as a `text/plain` 500, as a misconfigured proxy or
/// debug endpoint might.
struct EchoBody;

impl Respond for EchoBody {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let text = String::from_utf8_lossy(&request.body).into_owned();
        let json_echo = serde_json::to_string(&text).unwrap_or_default();
        ResponseTemplate::new(500).set_body_raw(format!("{text} {json_echo}"), "text/plain")
    }
}

#[tokio::test]
async fn a_token_endpoint_echoing_the_form_never_shows_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(EchoBody)
        .mount(&server)
        .await;
    let secret = "s3cr/t+v@lue&x=y é~*";
    let client = builder_with(&server, "my-client", secret)
        .retry_policy(gks_api::RetryPolicy::none())
        .build()
        .expect("client");
    let error = client.get_customer("K100421").await.expect_err("no token");
    assert!(matches!(error, Error::Auth(_)), "{error:?}");
    let sent = requests_to(&server, TOKEN_PATH).await;
    let form = String::from_utf8_lossy(&sent[0].body).into_owned();
    let encoded = form
        .split('&')
        .find_map(|pair| pair.strip_prefix("client_secret="))
        .expect("the secret was sent");
    assert_ne!(
        encoded, secret,
        "the test needs a secret that encoding changes"
    );
    for shown in [error.to_string(), format!("{error:?}")] {
        assert!(shown.contains("[REDACTED]"), "{shown}");
        for spelling in [
            secret,
            encoded,
            &encoded.to_lowercase(),
            &encoded.replace("%20", "+"),
        ] {
            assert!(!shown.contains(spelling), "{spelling:?} in {shown}");
        }
        assert_no_secret(&shown);
    }
}
