//! Raw, gzip and brotli sizes: what a delegate's browser actually downloads.

use std::io::Write;

#[derive(Clone, Copy, Default)]
pub struct Sizes {
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

impl Sizes {
    pub fn add(self, other: Sizes) -> Sizes {
        Sizes {
            raw: self.raw + other.raw,
            gzip: self.gzip + other.gzip,
            brotli: self.brotli + other.brotli,
        }
    }
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

/// Quality 11, window 22: what a static file server precompresses with.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("writing to memory");
    }
    out
}

pub fn kb(n: usize) -> String {
    format!("{:.1} kB", n as f64 / 1000.0)
}

/// Renders rows as a Markdown table, ready to paste into README.md.
pub fn table(rows: &[(String, Sizes)]) -> String {
    let mut s = String::from("| File | Raw | Gzip | Brotli |\n|---|---:|---:|---:|\n");
    for (name, z) in rows {
        s += &format!(
            "| {name} | {} | {} | {} |\n",
            kb(z.raw),
            kb(z.gzip),
            kb(z.brotli)
        );
    }
    s
}
