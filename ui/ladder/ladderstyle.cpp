// SPDX-License-Identifier: GPL-3.0-or-later
#include "ladder/ladderstyle.h"

#include "common/colour.h"

#include <QFontDatabase>
#include <QFontMetricsF>

#include <algorithm>
#include <cmath>

namespace synack {

namespace {

// The kernel's order (include/net/tcp_states.h), then "gone". Okabe-Ito and Paul Tol colours:
// told apart with the common colour-vision deficiencies; the name is always written as well.
struct StateColour {
    const char* state;
    QRgb rgb;
};
constexpr StateColour kStateColours[] = {
    { "ESTABLISHED", 0x009E73 },
    { "SYN_SENT", 0xE69F00 },
    { "SYN_RECV", 0xDDCC77 },
    { "FIN_WAIT1", 0x88CCEE },
    { "FIN_WAIT2", 0x0072B2 },
    { "TIME_WAIT", 0x332288 },
    { "CLOSE", 0xBBBBBB },
    { "CLOSE_WAIT", 0xCC6677 },
    { "LAST_ACK", 0x882255 },
    { "LISTEN", 0x999933 },
    { "CLOSING", 0xAA4499 },
    { "gone", 0x5F5F5F },
};

} // namespace

LadderFonts LadderFonts::make(const QFont& base, double dpi, bool presentation, double scale, int floorPixels)
{
    double px = base.pixelSize() > 0 ? base.pixelSize() : base.pointSizeF() * dpi / 72.0;
    if (px <= 0)
        px = 13;
    if (presentation)
        px *= 1.6;
    px *= scale;
    const int floor = floorPixels > 0 ? floorPixels : minimumPixels(presentation);
    auto sized = [floor](QFont f, double size) {
        f.setPixelSize(std::max(floor, static_cast<int>(std::lround(size))));
        return f;
    };
    LadderFonts fonts;
    fonts.scale = scale;
    fonts.body = sized(base, px);
    fonts.bold = fonts.body;
    fonts.bold.setBold(true);
    fonts.small = sized(base, px * 0.86);
    fonts.smallBold = fonts.small;
    fonts.smallBold.setBold(true);
    fonts.title = sized(base, px * 1.12);
    fonts.title.setBold(true);
    fonts.lane = sized(base, px * 0.8);
    fonts.lane.setBold(true);
    fonts.lane.setLetterSpacing(QFont::PercentageSpacing, 112);
    fonts.mono = sized(QFontDatabase::systemFont(QFontDatabase::FixedFont), px * 0.95);
    fonts.u = QFontMetricsF(fonts.body).lineSpacing();
    return fonts;
}

LadderStyle LadderStyle::make(const QPalette& pal, bool presentation)
{
    LadderStyle s;
    if (presentation) {
        s.bg = Qt::white;
        s.text = Qt::black;
        s.muted = QColor(0x33, 0x33, 0x33);
        s.faint = QColor(0x55, 0x55, 0x55);
        s.line = Qt::black;
        s.wire = QColor(0xEC, 0xEC, 0xEC);
        s.boxFill = Qt::white;
        s.boxBorder = Qt::black;
        s.warn = QColor(0xB0, 0x00, 0x20);
        s.rst = QColor(0xC8, 0x00, 0x00);
        s.blocked = QColor(0x44, 0x44, 0x44);
        s.blockedText = QColor(0x8A, 0x44, 0x00);
        s.pen = 2.0;
        return s;
    }
    s.bg = pal.color(QPalette::Base);
    s.text = pal.color(QPalette::Text);
    const bool dark = s.bg.lightnessF() < 0.5;
    s.muted = mix(s.text, s.bg, 0.35);
    s.faint = mix(s.text, s.bg, 0.55);
    s.line = mix(s.text, s.bg, 0.6);
    s.wire = mix(s.bg, s.text, dark ? 0.07 : 0.045);
    s.boxFill = mix(s.bg, pal.color(QPalette::Highlight), dark ? 0.14 : 0.06);
    s.boxBorder = mix(s.text, s.bg, 0.45);
    s.warn = dark ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB3, 0x26, 0x1E);
    s.rst = dark ? QColor(0xFF, 0x6B, 0x6B) : QColor(0xD3, 0x2F, 0x2F);
    s.blocked = mix(s.text, s.bg, 0.3);
    s.blockedText = dark ? QColor(0xFF, 0xCC, 0x80) : QColor(0x9A, 0x52, 0x00);
    return s;
}

QColor ladderStateColor(const QString& state)
{
    for (const StateColour& c : kStateColours)
        if (state == QLatin1String(c.state))
            return QColor::fromRgb(c.rgb);
    return QColor(0x77, 0x77, 0x77);
}

} // namespace synack
