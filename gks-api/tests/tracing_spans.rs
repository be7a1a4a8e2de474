//! Tracing of the runtime: each call is a span with operation id, method, path template, status
//! and attempt; no secrets and no path values in spans or events.
//!
//! In its own test binary: `tracing` caches per-callsite interest process-wide, so a scoped
//! subscriber only sees everything when no other test runs in the same process at the same time.

use gks_api as api;

use api::types::SalesOrder;
use serde_json::json;
use wiremock::ResponseTemplate;

mod common;
use common::{Sequence, assert_no_secret, builder, mount, server_with_tokens};

/// A minimal `tracing` subscriber that writes every span, field and event into a string.
mod capture {
    use std::fmt::Write as _;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub log: Arc<Mutex<String>>,
        next: Arc<AtomicU64>,
    }

    struct Writer<'a>(&'a mut String);

    impl Visit for Writer<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
    }

    impl Capture {
        fn write(&self, f: impl FnOnce(&mut String)) {
            let mut log = self.log.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut log);
            log.push('\n');
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
            self.write(|log| {
                let _ = write!(log, "span#{id} {}", span.metadata().name());
                span.record(&mut Writer(log));
            });
            Id::from_u64(id)
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            self.write(|log| {
                let _ = write!(log, "record#{}", span.into_u64());
                values.record(&mut Writer(log));
            });
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            self.write(|log| {
                let _ = write!(log, "event {}", event.metadata().target());
                event.record(&mut Writer(log));
            });
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn each_call_is_a_span_without_secrets() {
    let capture = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = server_with_tokens().await;
    let sequence = Sequence::new(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(200).set_body_json(json!({
            "name": "Acme AB",
            "number": "K1",
            "invoiceEmail": null,
            "corporateIdentityNumber": "556677-8899"
        })),
    ]);
    mount(&server, "GET", "/api/v1/customers/K-secret-param", sequence).await;
    mount(
        &server,
        "POST",
        "/api/v1/salesorders",
        ResponseTemplate::new(200).set_body_json(json!({"orderNumber": 5})),
    )
    .await;
    let client = builder(&server).build().expect("builds");
    let customer = client.get_customer("K-secret-param").await.expect("call");
    assert_eq!(customer.number.as_deref(), Some("K1"));
    let order = SalesOrder::new(api::types::SalesOrderRequired {
        customer_number: "K-secret-body".into(),
        purchase_order_number: "PO-secret-body".into(),
        is_export: false,
        is_export_within_eu: true,
    });
    let placed = client.place_sales_order(&order).await.expect("placed");
    assert_eq!(placed.order_number, 5);

    let log = capture.log.lock().map(|l| l.clone()).unwrap_or_default();
    assert!(log.contains("span#"), "{log}");
    assert!(
        log.contains("http_request operation_id=\"getCustomer\""),
        "{log}"
    );
    assert!(log.contains("method=GET"), "{log}");
    assert!(
        log.contains("path=\"/api/v1/customers/{customerNumber}\""),
        "{log}"
    );
    assert!(log.contains("status=503"), "{log}");
    assert!(log.contains("status=200"), "{log}");
    assert!(log.contains("attempt=2"), "{log}");
    assert!(log.contains("token_request"), "{log}");
    assert!(
        log.contains(
            "http_request operation_id=\"placeSalesOrder\" method=POST path=\"/api/v1/salesorders\""
        ),
        "{log}"
    );
    assert_no_secret(&log);
    assert!(
        !log.contains("K-secret-param"),
        "path values are not logged: {log}"
    );
    assert!(
        !log.contains("secret-body"),
        "request bodies are not logged: {log}"
    );
}
