//! Charts drawn on the server as SVG with plotters: the same markup works in
//! the page (scaled to a phone's width by CSS) and in a PDF. Text stays
//! `<text>` for the browser to render; a font is registered only so that
//! plotters can measure labels.

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

/// The family the charts' text asks for.
const FAMILY: &str = "sans-serif";
const BAR: RGBColor = RGBColor(0x1f, 0x5f, 0x9e);
const LINE: RGBColor = RGBColor(0xb4, 0x3c, 0x1e);
const PARTIAL: RGBColor = RGBColor(0xa9, 0xc4, 0xe0);

fn fonts() {
    static REGISTERED: Once = Once::new();
    REGISTERED.call_once(|| {
        // Any face does for measuring; the first one ab_glyph can read.
        for data in typst_assets::fonts() {
            if register_font(FAMILY, FontStyle::Normal, data).is_ok() {
                break;
            }
        }
    });
}

/// A chart that could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("graphique impossible à dessiner : {0}")]
pub struct ChartError(String);

fn failed<E: std::fmt::Debug>(e: E) -> ChartError {
    ChartError(format!("{e:?}"))
}

/// One bar of [`bars`].
#[derive(Debug, Clone)]
pub struct Bar {
    /// Its label ("03/26").
    pub label: String,
    /// Its height.
    pub value: i64,
    /// A month not over yet: drawn pale, so it does not read as a drop.
    pub partial: bool,
}

/// Vertical bars, one per label (months); a partial one is drawn pale.
pub fn bars(points: &[Bar], caption: &str) -> Result<String, ChartError> {
    fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let top = points.iter().map(|p| p.value).max().unwrap_or(0).max(4);
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FAMILY, 22))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (0..points.len().saturating_sub(1)).into_segmented(),
                0..top + top / 8 + 1,
            )
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(points.len())
            .x_label_formatter(&|x| match x {
                SegmentValue::CenterOf(i) => {
                    points.get(*i).map(|p| p.label.clone()).unwrap_or_default()
                }
                _ => String::new(),
            })
            .label_style((FAMILY, 17))
            .draw()
            .map_err(failed)?;
        for (partial, colour) in [(false, BAR), (true, PARTIAL)] {
            chart
                .draw_series(
                    Histogram::vertical(&chart)
                        .style(colour.filled())
                        .margin(4)
                        .data(
                            points
                                .iter()
                                .enumerate()
                                .filter(|(_, p)| p.partial == partial)
                                .map(|(i, p)| (i, p.value)),
                        ),
                )
                .map_err(failed)?;
        }
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A name short enough for a chart's label area ("Centre hospitalier de
/// l'agglomération…").
fn short(name: &str) -> String {
    const LONGEST: usize = 30;
    if name.chars().count() <= LONGEST {
        return name.to_owned();
    }
    let cut: String = name.chars().take(LONGEST - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Horizontal bars, one per named thing (centres), the value written at
/// the end of each bar in `unit`.
pub fn hbars(points: &[(String, f64)], caption: &str, unit: &str) -> Result<String, ChartError> {
    fonts();
    let mut svg = String::new();
    let height = 80 + 44 * u32::try_from(points.len()).unwrap_or(10);
    {
        let root = SVGBackend::with_string(&mut svg, (640, height)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let top = points.iter().map(|p| p.1).fold(1.0_f64, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FAMILY, 22))
            .margin(10)
            .margin_right(24)
            .x_label_area_size(36)
            .y_label_area_size(230)
            .build_cartesian_2d(
                0.0..top * 1.25,
                (0..points.len().saturating_sub(1)).into_segmented(),
            )
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(points.len())
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => {
                    points.get(*i).map(|p| short(&p.0)).unwrap_or_default()
                }
                _ => String::new(),
            })
            .x_label_formatter(&|v| format!("{v:.0} {unit}"))
            .label_style((FAMILY, 16))
            .draw()
            .map_err(failed)?;
        chart
            .draw_series(
                Histogram::horizontal(&chart)
                    .style(BAR.filled())
                    .margin(6)
                    .data(points.iter().enumerate().map(|(i, p)| (i, p.1))),
            )
            .map_err(failed)?;
        chart
            .draw_series(points.iter().enumerate().map(|(i, p)| {
                Text::new(
                    format!("{:.0} {unit}", p.1),
                    (p.1 + top * 0.02, SegmentValue::CenterOf(i)),
                    (FAMILY, 16).into_font(),
                )
            }))
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

/// A line over labelled points; `None` leaves a gap (no data that month).
pub fn line(
    points: &[(String, Option<f64>)],
    caption: &str,
    unit: &str,
) -> Result<String, ChartError> {
    fonts();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 320)).into_drawing_area();
        root.fill(&WHITE).map_err(failed)?;
        let top = points.iter().filter_map(|p| p.1).fold(1.0_f64, f64::max);
        let last = points.len().saturating_sub(1).max(1);
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, (FAMILY, 22))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .margin_right(36)
            .build_cartesian_2d(0..last, 0.0..top * 1.15)
            .map_err(failed)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(points.len())
            .x_label_formatter(&|i| points.get(*i).map(|p| p.0.clone()).unwrap_or_default())
            .y_label_formatter(&|v| format!("{v:.0} {unit}"))
            .label_style((FAMILY, 17))
            .draw()
            .map_err(failed)?;
        let present: Vec<(usize, f64)> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.1.map(|v| (i, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(
                present.iter().copied(),
                LINE.stroke_width(2),
            ))
            .map_err(failed)?;
        chart
            .draw_series(
                present
                    .iter()
                    .map(|(i, v)| Circle::new((*i, *v), 3, LINE.filled())),
            )
            .map_err(failed)?;
        root.present().map_err(failed)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn bars_are_svg_with_labels_and_one_rect_per_value() {
        let bar = |label: &str, value, partial| Bar {
            label: label.into(),
            value,
            partial,
        };
        let points = vec![
            bar("01/26", 12, false),
            bar("02/26", 30, false),
            bar("03/26", 4, true),
        ];
        let svg = bars(&points, "Demandes par mois").unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("Demandes par mois"));
        assert!(svg.contains("02/26"));
        assert!(!svg.contains("<script"));
        assert_eq!(svg.matches("fill=\"#1F5F9E\"").count(), 2, "{svg}");
        assert_eq!(
            svg.matches("fill=\"#A9C4E0\"").count(),
            1,
            "the partial month, pale"
        );
    }

    #[test]
    fn centres_get_one_bar_each_with_their_value_written() {
        let points = vec![
            ("CHU Dijon".to_owned(), 33.4),
            ("CH Nevers".to_owned(), 52.6),
        ];
        let svg = hbars(&points, "Délai moyen par centre", "h").unwrap();
        assert!(svg.contains("CHU Dijon") && svg.contains("CH Nevers"));
        assert!(svg.contains("33 h") && svg.contains("53 h"), "{svg}");
    }

    #[test]
    fn a_line_skips_months_without_data() {
        let points = vec![
            ("01/26".into(), Some(20.0)),
            ("02/26".into(), None),
            ("03/26".into(), Some(26.5)),
        ];
        let svg = line(&points, "Délai moyen", "h").unwrap();
        assert!(svg.contains("Délai moyen"));
        assert_eq!(svg.matches("<circle").count(), 2);
    }
}
