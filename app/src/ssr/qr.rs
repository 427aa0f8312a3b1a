//! QR codes as SVG paths, for the kiosk's done screen.

use crate::types::QrCode;

const QUIET: usize = 4;

pub fn qr(data: &str) -> Result<QrCode, qrcode::types::QrError> {
    let code = qrcode::QrCode::new(data.as_bytes())?;
    let width = code.width();
    let mut path = String::new();
    for (i, color) in code.to_colors().iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Ok(QrCode {
        size: (width + 2 * QUIET) as u32,
        path,
    })
}
