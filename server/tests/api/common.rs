//! A real server on a free loopback port with a temporary database, and
//! the payloads and files the tests send it.

use accredit_model::Date;
use accredit_server::clock::Clock;
use accredit_server::rate_limit::RateLimit;
use accredit_server::storage::Storage;
use accredit_server::storage::sqlite::Sqlite;
use accredit_server::{Settings, auth, events};
use serde_json::Value;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

// Not every test binary that includes this module builds payloads.
#[allow(unused_imports)]
pub use accredit_test_support::payload::{EVENT, delegation, member, registration};

/// The day the tests' server believes it is: in the demo file's own
/// calendar, seven weeks before its opening on 2027-04-20, whatever the
/// real date.
pub fn test_today() -> Date {
    Date::new(2027, 3, 2).unwrap()
}

/// A date written `YYYY-MM-DD`.
pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap()
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub data_dir: tempfile::TempDir,
    /// The widget build it serves (an `index.html`); kept alive for as
    /// long as the server serves from it.
    pub dist: tempfile::TempDir,
    pub client: reqwest::Client,
    /// The server's clock, on [`test_today`] until a test moves it.
    pub clock: Clock,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// The demo event, rate limits off, the clock on [`test_today`].
    pub async fn start() -> TestServer {
        TestServer::with(|_| {}).await
    }

    /// The demo event, rate limits off, the clock on [`test_today`], then
    /// `configure`.
    pub async fn with(configure: impl FnOnce(&mut Settings)) -> TestServer {
        let data_dir = tempfile::tempdir().unwrap();
        let dist = tempfile::tempdir().unwrap();
        std::fs::write(
            dist.path().join("index.html"),
            "<!doctype html><title>demo</title>",
        )
        .unwrap();
        let mut settings = Settings::new(
            events::demo(),
            dist.path().to_path_buf(),
            data_dir.path().to_path_buf(),
        );
        settings.rate_limit = RateLimit::Off;
        settings.clock = Clock::on(test_today());
        configure(&mut settings);
        let clock = settings.clock.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            accredit_server::serve(listener, settings)
                .await
                .expect("the server runs");
        });
        let server = TestServer {
            addr,
            data_dir,
            dist,
            client: reqwest::Client::new(),
            clock,
            task,
        };
        server.wait_until_serving().await;
        server
    }

    /// Waits for the first answer to `/healthz`. The server opens and
    /// migrates its database before it answers, so a test that then opens
    /// the same database (for a token, say) never races the migration.
    async fn wait_until_serving(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(
                !self.task.is_finished(),
                "the server stopped while starting"
            );
            // The listener is bound already: the request waits in its
            // backlog until the server serves. The timeout only lets the
            // loop notice a server that failed to start.
            let request = self.client.get(self.url("/healthz"));
            if let Ok(answer) = request.timeout(Duration::from_secs(1)).send().await {
                assert_eq!(answer.status(), 200, "/healthz");
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer /healthz within 30 s"
            );
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `/api/v1/events/islamabad-tip-som{path}`.
    pub fn event_url(&self, path: &str) -> String {
        self.url(&format!("/api/v1/events/{EVENT}{path}"))
    }

    /// A new organiser token for the demo event.
    pub fn token(&self) -> String {
        self.token_for(EVENT)
    }

    pub fn token_for(&self, event: &str) -> String {
        let storage = Sqlite::open(self.data_dir.path()).unwrap();
        let (secret, record) = auth::new_token(
            event,
            "test desk",
            self.clock.now(),
            auth::DEFAULT_LIFETIME_SECS,
        );
        storage.insert_token(&record).unwrap();
        secret
    }

    pub fn storage(&self) -> Sqlite {
        Sqlite::open(self.data_dir.path()).unwrap()
    }

    /// POSTs a registration with a fresh idempotency key.
    pub async fn register(&self, body: &Value) -> reqwest::Response {
        self.register_with_key(body, &new_key()).await
    }

    pub async fn register_with_key(&self, body: &Value, key: &str) -> reqwest::Response {
        self.client
            .post(self.event_url("/registrations"))
            .header("idempotency-key", key)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    pub async fn upload(&self, bytes: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.event_url("/attachments"))
            .header("content-type", "application/octet-stream")
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    /// Uploads with `?purpose=` (`photo` or `letter`).
    pub async fn upload_for(&self, purpose: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.client
            .post(self.event_url(&format!("/attachments?purpose={purpose}")))
            .body(bytes)
            .send()
            .await
            .unwrap()
    }

    /// Uploads with `?purpose=` and returns the attachment id.
    pub async fn upload_ok_for(&self, purpose: &str, bytes: Vec<u8>) -> String {
        let response = self.upload_for(purpose, bytes).await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }

    /// Uploads and returns the attachment id.
    pub async fn upload_ok(&self, bytes: Vec<u8>) -> String {
        let response = self.upload(bytes).await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        body["id"].as_str().unwrap().to_owned()
    }

    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.event_url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn new_key() -> String {
    accredit_server::random::uuid()
}

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// A structurally complete JPEG with an EXIF block holding a GPS position
/// and a camera owner, plus a comment.
pub fn jpeg_with_metadata() -> Vec<u8> {
    let mut exif =
        b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x3b\0\x02\0\0\0\x0aJane Doe\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(b"GPSLatitude 33.6844N");
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(0xE1, &exif));
    j.extend(segment(0xFE, b"taken by Jane Doe"));
    j.extend(segment(0xDB, &[0u8; 65]));
    j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
    j.extend(segment(0xC4, &[0u8; 20]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0x56]);
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&[0, 0, 0, 0]);
    c
}

pub fn png_with_metadata() -> Vec<u8> {
    let mut p = b"\x89PNG\r\n\x1a\n".to_vec();
    p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    p.extend(chunk(b"tEXt", b"Author\0Jane Doe"));
    p.extend(chunk(b"IDAT", b"pixels"));
    p.extend(chunk(b"IEND", b""));
    p
}

/// A valid PNG of random pixels (which no compression shrinks, as with a
/// camera photo), and its pixels.
pub fn noise_png(width: u32, height: u32) -> (Vec<u8>, Vec<u8>) {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let pixels: Vec<u8> = (0..width * height * 3)
        .map(|_| {
            // xorshift64: fast, and as incompressible as it needs to be.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::NoCompression);
    encoder
        .write_header()
        .unwrap()
        .write_image_data(&pixels)
        .unwrap();
    (out, pixels)
}

/// A real picture of `width` × `height` pixels (a gradient, so the
/// encoders have something to encode).
fn picture(width: u32, height: u32) -> image::DynamicImage {
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    }))
}

/// A PNG of `width` × `height` pixels, made by the `image` crate.
pub fn png_photo(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(width, height)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A JPEG of `width` × `height` pixels, made by the `image` crate.
pub fn jpeg_photo(width: u32, height: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(width, height)
        .write_to(&mut out, image::ImageFormat::Jpeg)
        .unwrap();
    out.into_inner()
}

/// A one-page letter built with `lopdf`: catalog, pages, a page with its
/// font and a line of text.
pub fn letter_document() -> lopdf::Document {
    use lopdf::{Object, Stream, dictionary};
    let mut doc = lopdf::Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let text = b"BT /F1 14 Tf 72 720 Td (Note verbale No. 123/2027) Tj ET".to_vec();
    let content_id = doc.add_object(Stream::new(dictionary! {}, text));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc
}

pub fn pdf_bytes(doc: &mut lopdf::Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A plain one-page PDF letter.
pub fn pdf() -> Vec<u8> {
    pdf_bytes(&mut letter_document())
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Asserts a problem+json response and returns its body.
pub async fn problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status, "status");
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json",
        "content type"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    for field in ["type", "title", "detail"] {
        assert!(body[field].is_string(), "{field} in {body}");
    }
    body
}
