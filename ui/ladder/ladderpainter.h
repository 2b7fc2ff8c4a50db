// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "ladder/ladderitem.h"

class QColor;
class QPainter;
class QPointF;

namespace synack {

struct LadderFonts;
struct LadderStyle;

/// Draws the ladder's items, each as its kind says, in one style and one set of fonts. Knows
/// nothing of traces: what to draw and where is in the item.
class LadderPainter {
public:
    LadderPainter(QPainter& p, const LadderStyle& style, const LadderFonts& fonts)
        : m_p(p)
        , m_s(style)
        , m_f(fonts)
    {
    }

    void paint(const LadderItem& it);

private:
    void lane(const LadderItem& it);
    void inferredKey(const QRectF& sub);
    void stepHeader(const LadderItem& it);
    void lifeline(const LadderItem& it);
    void blocked(const LadderItem& it);
    void stateBand(const LadderItem& it);
    void wait(const LadderItem& it);
    void segment(const LadderItem& it);
    void gateBar(const QPointF& at);
    void cross(const QPointF& at, const QColor& c);
    void gateMark(const LadderItem& it);
    void gateBand(const LadderItem& it);
    void timer(const LadderItem& it);
    void stateLabel(const LadderItem& it);
    void rename(const LadderItem& it);
    void call(const LadderItem& it);
    void header(const LadderItem& it);

    QPainter& m_p;
    const LadderStyle& m_s;
    const LadderFonts& m_f;
};

} // namespace synack
