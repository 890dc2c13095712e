//! The database goes away and comes back, through a TCP proxy the test controls: readiness says
//! so, pages explain, writes fail cleanly (nothing half-done), and the bar recovers by itself.

use crate::common::{eventually, fresh_database, spawn_app_on, Db};
use app::error::AppError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

/// Forwards 127.0.0.1:<port> to PostgreSQL while up; when cut, drops every connection and
/// refuses new ones.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    drop(inbound); // the database "host" is unreachable
                    continue;
                }
                let target = target.clone();
                let link = tokio::spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                links2.lock().unwrap().push(link.abort_handle());
            }
        });
        Proxy { port, up, links }
    }

    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bar_survives_losing_its_database_and_recovers_by_itself() {
    let Some(db) = fresh_database(Db::Postgres).await else {
        return;
    };
    let proxy = Proxy::start("127.0.0.1:5432".into()).await;
    let database = db.url.rsplit('/').next().unwrap().to_string();
    let proxied = format!("postgres://postgres@127.0.0.1:{}/{database}", proxy.port);
    let app = spawn_app_on(db, move |c| c.database_url = proxied).await;
    let guest = app.join("Steady").await;
    assert_eq!(app.get("/readyz").await.status(), 200);

    proxy.cut();
    eventually("readiness to fail", Duration::from_secs(15), || async {
        app.get("/readyz").await.status() == 503
    })
    .await;
    // Writes fail cleanly, with the error pages understand.
    assert_eq!(
        app.place(&guest, "Mojito", "outage-0001").await,
        Err(AppError::Unavailable)
    );
    // Pages that need the database say so, kindly, with 503.
    let (status, html) = orders_page(&app, &guest).await;
    assert_eq!(status, 503, "{html}");
    assert!(html.contains("The bar is catching its breath"), "{html}");
    // The menu is served from memory and stays up.
    assert_eq!(app.get_html("/").await.0, 200);
    assert_eq!(app.get("/api/v1/drinks").await.status(), 200);

    proxy.restore();
    eventually("readiness to return", Duration::from_secs(20), || async {
        app.get("/readyz").await.status() == 200
    })
    .await;
    let order = app
        .place(&guest, "Mojito", "outage-0002")
        .await
        .expect("orders work again");
    assert_eq!(
        app.order_count(&order.guest_id).await,
        1,
        "the order refused during the outage was never half-placed"
    );
    let (status, html) = orders_page(&app, &guest).await;
    assert_eq!(status, 200);
    assert!(html.contains("Mojito"));
}

async fn orders_page(
    app: &crate::common::TestApp,
    guest: &crate::common::Session,
) -> (u16, String) {
    let page = app
        .client
        .get(app.url("/orders"))
        .header("cookie", &guest.0)
        .send()
        .await
        .unwrap();
    (page.status().as_u16(), page.text().await.unwrap())
}
