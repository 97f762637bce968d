//! Plots of `backslash sweep`, written as PNG and SVG with `plotters`.
//!
//! Text in the PNGs is rendered with the DejaVu Sans font shipped beside this file
//! (`LICENSE-DejaVu.txt`) through plotters' `ab_glyph` feature, so no system font or fontconfig is
//! needed. The SVGs reference the `sans-serif` family and leave text to the viewer.
//! Every file is written atomically: PNGs into a temporary file renamed into place, SVGs from
//! memory through `write_atomic`.

use crate::cmd::util::write_atomic;
use anyhow::{anyhow, Context};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Once;

static FONT: &[u8] = include_bytes!("DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Picture size in pixels.
const SIZE: (u32, u32) = (900, 600);

/// A named polyline.
#[derive(Debug, Clone)]
pub struct Series {
    pub label: String,
    pub points: Vec<(f64, f64)>,
}

/// A line chart: one or more series on linear axes.
#[derive(Debug, Clone)]
pub struct LineChart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub series: Vec<Series>,
    /// Draw a marker on each point.
    pub markers: bool,
}

/// A density histogram with overlaid curves (e.g. fitted pdfs).
#[derive(Debug, Clone)]
pub struct HistogramChart {
    pub title: String,
    pub x_label: String,
    /// `(left, right, density)` per bin.
    pub bins: Vec<(f64, f64, f64)>,
    pub curves: Vec<Series>,
}

fn register_font() -> anyhow::Result<()> {
    let mut result = Ok(());
    REGISTER.call_once(|| {
        result = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT)
            .map_err(|_| anyhow!("the embedded DejaVu Sans font is invalid"));
    });
    result
}

/// Writes `<stem>.png` and `<stem>.svg` by running `draw` on both backends.
fn write_both(
    stem: &Path,
    draw_png: impl FnOnce(DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
    draw_svg: impl FnOnce(DrawingArea<SVGBackend, Shift>) -> Result<(), String>,
) -> anyhow::Result<()> {
    register_font()?;
    let png = stem.with_extension("png");
    let tmp: PathBuf = stem.with_extension(format!("tmp{}.png", std::process::id()));
    let drawn = (|| {
        let root = BitMapBackend::new(&tmp, SIZE).into_drawing_area();
        draw_png(root.clone())?;
        root.present().map_err(|e| e.to_string())
    })();
    if let Err(e) = drawn {
        let _ = std::fs::remove_file(&tmp);
        return Err(anyhow!("cannot draw {}: {e}", png.display()));
    }
    std::fs::rename(&tmp, &png).with_context(|| format!("cannot write {}", png.display()))?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        draw_svg(root.clone()).map_err(|e| anyhow!("cannot draw {}.svg: {e}", stem.display()))?;
        root.present()
            .map_err(|e| anyhow!("cannot draw {}.svg: {e}", stem.display()))?;
    }
    write_atomic(&stem.with_extension("svg"), svg.as_bytes())
}

fn bounds(points: impl Iterator<Item = (f64, f64)>) -> ((f64, f64), (f64, f64)) {
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for (x, y) in points.filter(|(x, y)| x.is_finite() && y.is_finite()) {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    if !x0.is_finite() {
        return ((0.0, 1.0), (0.0, 1.0));
    }
    let pad = |a: f64, b: f64| {
        let d = if b > a { (b - a) * 0.05 } else { a.abs().max(1.0) * 0.05 };
        (a - d, b + d)
    };
    (pad(x0, x1), pad(y0, y1))
}

fn palette(i: usize) -> RGBColor {
    const C: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(255, 127, 14),
        RGBColor(44, 160, 44),
        RGBColor(214, 39, 40),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    C[i % C.len()]
}

fn draw_lines<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, c: &LineChart) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let ((x0, x1), (y0, y1)) = bounds(c.series.iter().flat_map(|s| s.points.iter().copied()));
    let mut chart = ChartBuilder::on(&root)
        .caption(&c.title, ("sans-serif", 24))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(&c.x_label)
        .y_desc(&c.y_label)
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(e)?;
    for (i, s) in c.series.iter().enumerate() {
        let color = palette(i);
        let pts: Vec<(f64, f64)> = s
            .points
            .iter()
            .copied()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), color.stroke_width(2)))
            .map_err(e)?
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
        if c.markers {
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))
                .map_err(e)?;
        }
    }
    draw_legend(&mut chart)
}

/// The legend of every chart: upper right, on a translucent white box.
fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut ChartContext<
        'a,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .label_font(("sans-serif", 15))
        .position(SeriesLabelPosition::UpperRight)
        .draw()
        .map_err(|e| e.to_string())
}

fn draw_histogram<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, h: &HistogramChart) -> Result<(), String> {
    let e = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    root.fill(&WHITE).map_err(e)?;
    let pts = h
        .bins
        .iter()
        .flat_map(|&(l, r, d)| [(l, d), (r, 0.0)])
        .chain(h.curves.iter().flat_map(|s| s.points.iter().copied()));
    let ((x0, x1), (_, y1)) = bounds(pts);
    let mut chart = ChartBuilder::on(&root)
        .caption(&h.title, ("sans-serif", 24))
        .margin(15)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, 0.0..y1)
        .map_err(e)?;
    chart
        .configure_mesh()
        .x_desc(&h.x_label)
        .y_desc("density")
        .label_style(("sans-serif", 15))
        .axis_desc_style(("sans-serif", 17))
        .draw()
        .map_err(e)?;
    let bar = RGBColor(150, 150, 150);
    chart
        .draw_series(
            h.bins
                .iter()
                .map(|&(l, r, d)| Rectangle::new([(l, 0.0), (r, d)], bar.mix(0.6).filled())),
        )
        .map_err(e)?
        .label("weights")
        .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], bar.mix(0.6).filled()));
    for (i, s) in h.curves.iter().enumerate() {
        let color = palette(i + 3);
        chart
            .draw_series(LineSeries::new(s.points.clone(), color.stroke_width(2)))
            .map_err(e)?
            .label(s.label.clone())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    draw_legend(&mut chart)
}

/// Writes a line chart to `<stem>.png` and `<stem>.svg`.
pub fn line_chart(stem: &Path, chart: &LineChart) -> anyhow::Result<()> {
    write_both(stem, |r| draw_lines(r, chart), |r| draw_lines(r, chart))
}

/// Writes a histogram chart to `<stem>.png` and `<stem>.svg`.
pub fn histogram_chart(stem: &Path, chart: &HistogramChart) -> anyhow::Result<()> {
    write_both(stem, |r| draw_histogram(r, chart), |r| draw_histogram(r, chart))
}
