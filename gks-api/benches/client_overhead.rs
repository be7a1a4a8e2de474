//! Client overhead: `gks-api` against the hand-written `reqwest` call it replaces.
//!
//! One in-process hyper server on 127.0.0.1 serves canned JSON for
//! `GET /api/v1/customers/{n}`, `POST /api/v1/salesorders` and `POST /connect/token`, counting
//! requests per route. Two clients call it in the same run:
//!
//! - `gks-api`: `get_customer` and `place_sales_order` (a 20-line order), client credentials
//!   against the server's token route, so the token path is real and the token is cached;
//! - the floor: a minimal hand-written `reqwest` call doing the same request, built with the
//!   settings the runtime uses (user agent, connect and request timeouts, no redirects), the
//!   same `Authorization: Bearer` and `Accept` headers, and the same JSON (de)serialisation
//!   into equivalent hand-written structs (the order serialises to the same bytes; checked).
//!
//! Each line (GET/POST, sequential/32 concurrent tasks) is measured in rounds alternating
//! gks-api and floor (ABBA order), and the median rate per variant is reported with the
//! ratio gks-api / hand-written. Besides wall-clock requests/s it reports process CPU time
//! per request (from `/proc/self/task/*/schedstat`), which other load on a shared machine
//! disturbs less. At the end it asserts that exactly one token request was made.
//!
//! Run with `cargo xtask bench` or `cargo bench -p gks-api --bench client_overhead`;
//! `BENCH_QUICK=1` for a short run (fewer, shorter rounds), `BENCH_ROUNDS=n` to override the
//! number of rounds, `BENCH_PROFILE=gks-get` (see [`profile_one`]) to run one variant alone
//! under a profiler.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::hint::black_box;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use chrono::{DateTime, TimeZone, Utc};
use gks_api::Client;
use gks_api::types::{
    Address, BillingContact, SalesOrder, SalesOrderLine, SalesOrderRequired, ShipTo,
};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::{ACCEPT, HeaderValue};
use serde::{Deserialize, Serialize};

const TOKEN: &str = "bench-access-token-0123456789abcdef";
const CUSTOMER_JSON: &str = r#"{
  "name": "Tryckeriet AB",
  "number": "K100421",
  "invoiceEmail": "faktura@tryckeriet.example",
  "postalAddress": {
    "address1": "Storgatan 1",
    "address2": "Garageinfart 2",
    "address3": "text",
    "city": "Stockholm",
    "zipCode": "114 44",
    "state": "FL",
    "countryCode": "SE"
  },
  "corporateIdentityNumber": "556000-0000"
}"#;
const ORDER_JSON: &str = r#"{"orderNumber": 1}"#;
const TOKEN_JSON: &str = r#"{"access_token":"bench-access-token-0123456789abcdef","token_type":"Bearer","expires_in":3600}"#;
const CONCURRENCY: usize = 32;
const ORDER_LINES: usize = 20;

// ---------------------------------------------------------------------------------------------
// The server

#[derive(Default)]
struct Counts {
    customers: AtomicU64,
    orders: AtomicU64,
    tokens: AtomicU64,
    rejected: AtomicU64,
}

fn json_response(status: StatusCode, body: &'static str) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

async fn handle(
    request: Request<Incoming>,
    counts: Arc<Counts>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    // Read every request body in full, as a real server would.
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(json_response(StatusCode::BAD_REQUEST, "{}")),
    };
    let path = parts.uri.path();
    if parts.method == Method::POST && path == "/connect/token" {
        counts.tokens.fetch_add(1, Ordering::Relaxed);
        let form = String::from_utf8_lossy(&body);
        if !form.contains("grant_type=client_credentials") {
            return Ok(json_response(
                StatusCode::BAD_REQUEST,
                r#"{"error":"unsupported_grant_type"}"#,
            ));
        }
        return Ok(json_response(StatusCode::OK, TOKEN_JSON));
    }
    let authorized = parts
        .headers
        .get(AUTHORIZATION)
        .is_some_and(|v| v.as_bytes().strip_prefix(b"Bearer ") == Some(TOKEN.as_bytes()));
    if !authorized {
        counts.rejected.fetch_add(1, Ordering::Relaxed);
        return Ok(json_response(StatusCode::UNAUTHORIZED, "{}"));
    }
    if parts.method == Method::GET && path.starts_with("/api/v1/customers/") {
        counts.customers.fetch_add(1, Ordering::Relaxed);
        Ok(json_response(StatusCode::OK, CUSTOMER_JSON))
    } else if parts.method == Method::POST && path == "/api/v1/salesorders" {
        counts.orders.fetch_add(1, Ordering::Relaxed);
        Ok(json_response(StatusCode::OK, ORDER_JSON))
    } else {
        Ok(json_response(StatusCode::NOT_FOUND, "{}"))
    }
}

async fn start_server(counts: Arc<Counts>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let counts = Arc::clone(&counts);
            tokio::spawn(async move {
                let service =
                    hyper::service::service_fn(move |request| handle(request, Arc::clone(&counts)));
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

// ---------------------------------------------------------------------------------------------
// The hand-written floor: what a careful engineer writes with reqwest and serde alone.

/// Same segment encoding a careful engineer applies to a user-supplied path value.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)] // decoded, as the generated type is, but only black-boxed
struct HwCustomer {
    name: String,
    number: Option<String>,
    invoice_email: Option<String>,
    postal_address: Option<HwAddress>,
    corporate_identity_number: String,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    address1: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address2: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address3: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    zip_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    country_code: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HwBillingContact {
    first_name: String,
    last_name: String,
    email: String,
    phone: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HwShipTo {
    recipient_name: String,
    address: HwAddress,
    contact_name: String,
    contact_mobile_phone: String,
    contact_email: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HwSalesOrderLine {
    article_number: String,
    description: String,
    quantity: f64,
    sales_unit: String,
    unit_price: f64,
    vat_percent: f64,
    discount_percent: f64,
    profit_center_code: String,
    weight_per_unit: f64,
    ship_orderline: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HwSalesOrder {
    customer_number: String,
    billing_contact: HwBillingContact,
    billing_company_info: Option<BTreeMap<String, serde_json::Value>>,
    bill_to: Option<HwShipTo>,
    ship_to: Option<HwShipTo>,
    order_title: Option<String>,
    promised_delivery_date: Option<DateTime<Utc>>,
    /// Required and nullable in the spec: always sent, `null` here.
    ordered: Option<DateTime<Utc>>,
    purchase_order_number: String,
    is_export: bool,
    is_export_within_eu: bool,
    language_code: Option<String>,
    currency_code: Option<String>,
    note_from_customer: Option<String>,
    sales_orderlines: Vec<HwSalesOrderLine>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwPlacedOrder {
    order_number: i64,
}

struct Floor {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
}

impl Floor {
    fn new(base_url: String) -> Floor {
        // The settings `ClientBuilder::build` in the runtime uses (client.rs).
        let http = reqwest::Client::builder()
            .user_agent(concat!("gks-api/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(30))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client");
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("header value");
        authorization.set_sensitive(true);
        Floor {
            http,
            base_url,
            authorization,
        }
    }

    async fn get_customer(&self, number: &str) -> Result<HwCustomer, reqwest::Error> {
        let url = format!(
            "{}/api/v1/customers/{}",
            self.base_url,
            utf8_percent_encode(number, PATH_SEGMENT)
        );
        self.http
            .get(url)
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }

    async fn place_sales_order(
        &self,
        order: &HwSalesOrder,
    ) -> Result<HwPlacedOrder, reqwest::Error> {
        self.http
            .post(format!("{}/api/v1/salesorders", self.base_url))
            .header(AUTHORIZATION, self.authorization.clone())
            .header(ACCEPT, "application/json")
            .json(order)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await
    }
}

// ---------------------------------------------------------------------------------------------
// The order, built twice: with the generated types and with the hand-written ones.

fn delivery_date() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 12, 0, 0)
        .single()
        .expect("valid date")
}

fn gks_order() -> SalesOrder {
    let address = Address::new()
        .with_address1("Storgatan 1")
        .with_city("Stockholm")
        .with_zip_code("114 44")
        .with_country_code("SE");
    let ship_to = ShipTo::new()
        .with_recipient_name("Tryckeriet AB")
        .with_address(address)
        .with_contact_name("Anna Andersson")
        .with_contact_mobile_phone("+46 70 123 45 67")
        .with_contact_email("anna@tryckeriet.example");
    let lines: Vec<SalesOrderLine> = (0..ORDER_LINES)
        .map(|i| {
            SalesOrderLine::new()
                .with_article_number(format!("BC-{:03}", 400 + i))
                .with_description(format!("Business cards, 350 g matte, design {i}"))
                .with_quantity(500.0 + i as f64)
                .with_sales_unit("pcs")
                .with_unit_price(0.85 + i as f64 / 100.0)
                .with_vat_percent(25.0)
                .with_discount_percent(5.0)
                .with_profit_center_code("PRINT")
                .with_weight_per_unit(0.004)
                .with_ship_orderline(true)
        })
        .collect();
    SalesOrder::new(SalesOrderRequired {
        customer_number: "K100421".into(),
        purchase_order_number: "PO-2024-17".into(),
        is_export: false,
        is_export_within_eu: true,
    })
    .with_billing_contact(
        BillingContact::new()
            .with_first_name("Anna")
            .with_last_name("Andersson")
            .with_email("anna@tryckeriet.example")
            .with_phone("+46 8 123 456"),
    )
    .with_bill_to(ship_to.clone())
    .with_ship_to(ship_to)
    .with_order_title("Business cards")
    .with_promised_delivery_date(delivery_date())
    .with_language_code(gks_api::types::SalesOrderLanguageCode::Sv)
    .with_currency_code("SEK")
    .with_note_from_customer("Please deliver to the back entrance.")
    .with_sales_orderlines(lines)
}

fn hw_order() -> HwSalesOrder {
    let ship_to = || HwShipTo {
        recipient_name: "Tryckeriet AB".into(),
        address: HwAddress {
            address1: Some("Storgatan 1".into()),
            address2: None,
            address3: None,
            city: Some("Stockholm".into()),
            zip_code: Some("114 44".into()),
            state: None,
            country_code: Some("SE".into()),
        },
        contact_name: "Anna Andersson".into(),
        contact_mobile_phone: "+46 70 123 45 67".into(),
        contact_email: "anna@tryckeriet.example".into(),
    };
    HwSalesOrder {
        customer_number: "K100421".into(),
        billing_contact: HwBillingContact {
            first_name: "Anna".into(),
            last_name: "Andersson".into(),
            email: "anna@tryckeriet.example".into(),
            phone: "+46 8 123 456".into(),
        },
        billing_company_info: None,
        bill_to: Some(ship_to()),
        ship_to: Some(ship_to()),
        order_title: Some("Business cards".into()),
        promised_delivery_date: Some(delivery_date()),
        ordered: None,
        purchase_order_number: "PO-2024-17".into(),
        is_export: false,
        is_export_within_eu: true,
        language_code: Some("sv".into()),
        currency_code: Some("SEK".into()),
        note_from_customer: Some("Please deliver to the back entrance.".into()),
        sales_orderlines: (0..ORDER_LINES)
            .map(|i| HwSalesOrderLine {
                article_number: format!("BC-{:03}", 400 + i),
                description: format!("Business cards, 350 g matte, design {i}"),
                quantity: 500.0 + i as f64,
                sales_unit: "pcs".into(),
                unit_price: 0.85 + i as f64 / 100.0,
                vat_percent: 25.0,
                discount_percent: 5.0,
                profit_center_code: "PRINT".into(),
                weight_per_unit: 0.004,
                ship_orderline: true,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------------
// Measurement

#[derive(Clone, Copy, PartialEq, Eq)]
enum Variant {
    Gks,
    Floor,
}

#[derive(Clone, Copy)]
enum Op {
    GetCustomer,
    PlaceOrder,
}

#[derive(Clone)]
struct Clients {
    gks: Client,
    floor: Arc<Floor>,
    gks_order: Arc<SalesOrder>,
    hw_order: Arc<HwSalesOrder>,
}

impl Clients {
    async fn call(&self, variant: Variant, op: Op, i: usize) {
        match (variant, op) {
            (Variant::Gks, Op::GetCustomer) => {
                let number = format!("K{}", 100_000 + i);
                let customer = self.gks.get_customer(&number).await.expect("gks get");
                black_box(customer);
            }
            (Variant::Floor, Op::GetCustomer) => {
                let number = format!("K{}", 100_000 + i);
                let customer = self.floor.get_customer(&number).await.expect("floor get");
                black_box(customer);
            }
            (Variant::Gks, Op::PlaceOrder) => {
                let placed = self
                    .gks
                    .place_sales_order(&self.gks_order)
                    .await
                    .expect("gks post");
                black_box(placed.order_number);
            }
            (Variant::Floor, Op::PlaceOrder) => {
                let placed = self
                    .floor
                    .place_sales_order(&self.hw_order)
                    .await
                    .expect("floor post");
                black_box(placed.order_number);
            }
        }
    }
}

/// CPU time used so far by the live threads of this process (server and clients), in ns;
/// `None` where `/proc/self/task/*/schedstat` is not available.
fn process_cpu_ns() -> Option<u64> {
    let mut total = 0u64;
    for entry in std::fs::read_dir("/proc/self/task").ok()? {
        let path = entry.ok()?.path().join("schedstat");
        // A thread may exit between listing and reading: skip it.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        total += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(total)
}

struct Sample {
    rate: f64,
    /// Process CPU time of the measurement, in ns.
    cpu_ns: Option<u64>,
    requests: usize,
}

/// `n` requests of `op`, spread over `concurrency` tasks; wall-clock rate and CPU per request.
async fn measure(
    clients: &Clients,
    variant: Variant,
    op: Op,
    concurrency: usize,
    n: usize,
) -> Sample {
    let per_task = n / concurrency;
    let cpu_before = process_cpu_ns();
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|t| {
            let clients = clients.clone();
            tokio::spawn(async move {
                for i in 0..per_task {
                    clients.call(variant, op, t * per_task + i).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("benchmark task");
    }
    let elapsed = started.elapsed();
    let done = (per_task * concurrency) as f64;
    let cpu_ns = cpu_before
        .zip(process_cpu_ns())
        .map(|(before, after)| after.saturating_sub(before));
    Sample {
        rate: done / elapsed.as_secs_f64(),
        cpu_ns,
        requests: per_task * concurrency,
    }
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        (values[mid - 1] + values[mid]) / 2.0
    }
}

struct LineResult {
    name: String,
    requests_per_round: usize,
    gks_rate: f64,
    floor_rate: f64,
    round_ratios: Vec<f64>,
    gks_cpu: Option<f64>,
    floor_cpu: Option<f64>,
}

async fn run_line(
    clients: &Clients,
    name: &str,
    op: Op,
    concurrency: usize,
    rounds: usize,
    target: Duration,
) -> LineResult {
    // Warm up both (connections, allocator, caches) and size the rounds from the floor's rate.
    let warmup = concurrency * 50;
    measure(clients, Variant::Gks, op, concurrency, warmup).await;
    let probe = measure(clients, Variant::Floor, op, concurrency, warmup).await;
    let n = ((probe.rate * target.as_secs_f64()) as usize).max(concurrency * 20);
    let n = n.div_ceil(concurrency) * concurrency;

    let mut gks = Vec::new();
    let mut floor = Vec::new();
    let mut round_ratios = Vec::new();
    for round in 0..rounds {
        let order = if round % 2 == 0 {
            [Variant::Gks, Variant::Floor]
        } else {
            [Variant::Floor, Variant::Gks]
        };
        let mut pair = [None, None];
        for variant in order {
            let sample = measure(clients, variant, op, concurrency, n).await;
            pair[usize::from(variant == Variant::Floor)] = Some(sample);
        }
        let [Some(a), Some(b)] = pair else {
            unreachable!("both variants ran")
        };
        round_ratios.push(a.rate / b.rate);
        gks.push(a);
        floor.push(b);
    }
    // CPU per request over all rounds: schedstat of a running thread lags by up to a scheduler
    // tick, too coarse for one round but not for the sum of all of them.
    let cpu = |samples: &[Sample]| -> Option<f64> {
        let ns: u64 = samples.iter().map(|s| s.cpu_ns).sum::<Option<u64>>()?;
        let requests: usize = samples.iter().map(|s| s.requests).sum();
        Some(ns as f64 / 1000.0 / requests as f64)
    };
    let rate = |samples: &[Sample]| median(&mut samples.iter().map(|s| s.rate).collect::<Vec<_>>());
    LineResult {
        name: name.to_string(),
        requests_per_round: n,
        gks_rate: rate(&gks),
        floor_rate: rate(&floor),
        round_ratios,
        gks_cpu: cpu(&gks),
        floor_cpu: cpu(&floor),
    }
}

/// `BENCH_PROFILE=gks-get|floor-get|gks-post|floor-post`: only that variant and operation,
/// `BENCH_PROFILE_N` (default 2,000) sequential requests after 200 warm-up requests, for a
/// profiler (`valgrind --tool=callgrind`): compare the instruction counts of the two variants.
async fn profile_one(clients: &Clients, what: &str) {
    let (variant, op) = match what {
        "gks-get" => (Variant::Gks, Op::GetCustomer),
        "floor-get" => (Variant::Floor, Op::GetCustomer),
        "gks-post" => (Variant::Gks, Op::PlaceOrder),
        "floor-post" => (Variant::Floor, Op::PlaceOrder),
        other => {
            panic!("BENCH_PROFILE={other}: expected gks-get, floor-get, gks-post or floor-post")
        }
    };
    let n = std::env::var("BENCH_PROFILE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    measure(clients, variant, op, 1, 200).await;
    let sample = measure(clients, variant, op, 1, n).await;
    println!("{what}: {n} requests, {:.0} req/s", sample.rate);
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn main() {
    let quick = env_flag("BENCH_QUICK");
    let rounds = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|&r| r > 0)
        .unwrap_or(if quick { 4 } else { 15 });
    let target = if quick {
        Duration::from_millis(120)
    } else {
        Duration::from_millis(250)
    };

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let counts = Arc::new(Counts::default());
        let addr = start_server(Arc::clone(&counts)).await;
        let base_url = format!("http://{addr}");

        let gks = Client::builder(&base_url)
            .client_credentials("bench-client", "bench-secret")
            .token_url(format!("{base_url}/connect/token"))
            .build()
            .expect("gks-api client");
        let clients = Clients {
            gks,
            floor: Arc::new(Floor::new(base_url.clone())),
            gks_order: Arc::new(gks_order()),
            hw_order: Arc::new(hw_order()),
        };

        // Same request body on the wire from both variants.
        let gks_body = serde_json::to_vec(&*clients.gks_order).expect("serialise");
        let hw_body = serde_json::to_vec(&*clients.hw_order).expect("serialise");
        assert_eq!(
            String::from_utf8_lossy(&gks_body),
            String::from_utf8_lossy(&hw_body),
            "the hand-written order must serialise exactly like the generated one"
        );

        if let Ok(profile) = std::env::var("BENCH_PROFILE") {
            profile_one(&clients, &profile).await;
            return;
        }

        // The very first calls are 32 concurrent ones: one token request must serve them all.
        measure(&clients, Variant::Gks, Op::GetCustomer, CONCURRENCY, CONCURRENCY).await;
        let first = clients.gks.get_customer("K100421").await.expect("get").into_inner();
        assert_eq!(first.name, "Tryckeriet AB");
        assert_eq!(
            first.postal_address.and_then(|a| a.city).as_deref(),
            Some("Stockholm")
        );

        println!(
            "client overhead: {} rounds per line, ~{} ms per measurement, order body {} bytes, {} lines",
            rounds,
            target.as_millis(),
            gks_body.len(),
            ORDER_LINES
        );
        let lines = [
            ("GET customer, sequential", Op::GetCustomer, 1),
            ("GET customer, 32 tasks", Op::GetCustomer, CONCURRENCY),
            ("POST sales order (20 lines), sequential", Op::PlaceOrder, 1),
            ("POST sales order (20 lines), 32 tasks", Op::PlaceOrder, CONCURRENCY),
        ];
        let mut results = Vec::new();
        for (name, op, concurrency) in lines {
            let result = run_line(&clients, name, op, concurrency, rounds, target).await;
            eprintln!(
                "  {name}: {:.0} vs {:.0} req/s",
                result.gks_rate, result.floor_rate
            );
            results.push(result);
        }

        println!();
        println!(
            "| line | gks-api req/s | hand-written req/s | ratio | paired ratio: median (min–max) | gks-api CPU µs/req | hand-written CPU µs/req | CPU ratio |"
        );
        println!("|---|---:|---:|---:|---|---:|---:|---:|");
        let mut below = Vec::new();
        for r in &results {
            let ratio = r.gks_rate / r.floor_rate;
            let mut paired = r.round_ratios.clone();
            let paired_median = median(&mut paired);
            let (min, max) = (paired[0], paired[paired.len() - 1]);
            let fmt_cpu = |v: Option<f64>| v.map_or("n/a".to_string(), |v| format!("{v:.1}"));
            let cpu_ratio = r
                .gks_cpu
                .zip(r.floor_cpu)
                .map_or("n/a".to_string(), |(g, f)| format!("{:.3}", f / g));
            println!(
                "| {} | {:.0} | {:.0} | **{:.3}** | {:.3} ({:.3}–{:.3}) | {} | {} | {} |",
                r.name,
                r.gks_rate,
                r.floor_rate,
                ratio,
                paired_median,
                min,
                max,
                fmt_cpu(r.gks_cpu),
                fmt_cpu(r.floor_cpu),
                cpu_ratio
            );
            if ratio < 0.95 {
                below.push(r.name.as_str());
            }
        }
        println!();
        println!(
            "ratio = median gks-api req/s / median hand-written req/s over {rounds} interleaved rounds \
             (requests per round: {}); paired ratio = gks-api / hand-written within each round \
             (adjacent in time); CPU ratio = hand-written CPU per request / gks-api CPU per \
             request (process CPU of server and client threads, summed over all rounds; on a VM it \
             includes steal time). Goal: ≥ 0.95.",
            results
                .iter()
                .map(|r| r.requests_per_round.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );

        let tokens = counts.tokens.load(Ordering::Relaxed);
        let customers = counts.customers.load(Ordering::Relaxed);
        let orders = counts.orders.load(Ordering::Relaxed);
        let rejected = counts.rejected.load(Ordering::Relaxed);
        println!(
            "server: {customers} customer requests, {orders} order requests, {rejected} rejected (401), \
             {tokens} token request(s) (goal: 1)"
        );
        if !below.is_empty() {
            println!("below 0.95: {}", below.join("; "));
        }
        assert_eq!(rejected, 0, "every API call must carry the right token");
        assert_eq!(tokens, 1, "the token must be fetched once and cached");
    });
}
