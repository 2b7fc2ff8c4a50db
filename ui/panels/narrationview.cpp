// SPDX-License-Identifier: GPL-3.0-or-later
#include "panels/narrationview.h"

#include "common/text.h"
#include "playback/calltext.h"
#include "playback/gatetext.h"

#include <QTextDocument>

#include <cmath>
#include <memory>

namespace synack {

NarrationView::NarrationView(QWidget* parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setFrameShape(QFrame::NoFrame);
}

void NarrationView::setIntro(const QString& title, const QString& about)
{
    m_title = title;
    m_about = about;
    render();
}

void NarrationView::setLanguage(const QString& lang)
{
    m_lang = lang;
    render();
}

void NarrationView::setPresentation(bool on)
{
    m_presentation = on;
    // On a projector every line counts: paragraphs close together, so the type can stay large.
    document()->setDefaultStyleSheet(on ? QStringLiteral("p { margin-top: 2px; margin-bottom: 4px; }") : QString());
    QFont f = font();
    f.setPointSizeF(on ? 22 : QFont().pointSizeF());
    setFont(f);
    render();
}

int NarrationView::fitHeight(int width, int maxHeight)
{
    const int frame = 2 * frameWidth();
    std::unique_ptr<QTextDocument> doc(document()->clone());
    doc->setTextWidth(width - frame);
    const qreal largest = m_presentation ? 22 : QFont().pointSizeF();
    QFont f = font();
    for (qreal pt = largest;; pt -= 1) {
        f.setPointSizeF(pt);
        doc->setDefaultFont(f);
        if (doc->size().height() + frame <= maxHeight || pt <= 12)
            break;
    }
    if (font() != f) {
        setFont(f);
        render();
    }
    return static_cast<int>(std::ceil(doc->size().height())) + frame + 2;
}

void NarrationView::setFrame(const Frame& frame)
{
    // Re-render only when what is said changes, not on every animation tick.
    if (frame.revision == m_revision && !frame.trace == !m_trace && frame.step == m_step && frame.visible == m_visible)
        return;
    m_trace = frame.trace;
    m_revision = frame.revision;
    m_step = frame.step;
    m_visible = frame.visible;
    render();
}

void NarrationView::render()
{
    QString html;
    const QString fg = palette().color(QPalette::Text).name();
    const QString dim = palette().color(QPalette::PlaceholderText).name();
    const QString bad = QStringLiteral("#d1495b");
    const QString good = QStringLiteral("#2e9e5b");
    if (!m_trace || m_step < 0) {
        html += QStringLiteral("<h2>%1</h2><p>%2</p><p style='color:%3'>%4</p>")
                    .arg(m_title.toHtmlEscaped(), m_about.toHtmlEscaped(), dim,
                        tr("Press → or Space to run the first step against the kernel."));
        setHtml(html);
        return;
    }
    const StepEvent* call = nullptr;
    const StepEvent* completion = nullptr;
    QStringList expectations, notes, gate;
    // Events come in step order: what this step says starts at its first event (a trace may have a
    // million before it). A blocked call's completion comes later, never earlier.
    const std::size_t visible = std::min(m_visible, m_trace->events.size());
    std::size_t first = visible;
    while (first > 0 && (m_trace->events[first - 1].step >= m_step || m_trace->events[first - 1].step < 0))
        --first;
    for (std::size_t i = first; i < visible; ++i) {
        const Event& e = m_trace->events[i];
        if (const auto* s = e.as<StepEvent>()) {
            if (e.step == m_step && s->phase != Phase::Completed && !call)
                call = s;
            if (call && s->phase == Phase::Completed && s->line == call->line && s->endpoint == call->endpoint)
                completion = s;
        }
        if (e.step != m_step)
            continue;
        if (const auto* x = e.as<ExpectEvent>()) {
            // A sentence in the window's language; the statement itself is the line's tooltip.
            const QString sentence = QStringLiteral("<span title='%1'>%2</span>")
                                         .arg(qs(x->text).toHtmlEscaped(), calltext::expectation(*x).toHtmlEscaped());
            expectations << (x->ok ? QStringLiteral("<span style='color:%1'>✓</span> %2").arg(good, sentence)
                                   : QStringLiteral("<span style='color:%1'>✗ %2</span> — %3")
                                         .arg(bad, sentence,
                                             tr("expected %1, the kernel says %2")
                                                 .arg(calltext::expectedValue(x->expected).toHtmlEscaped(),
                                                     calltext::expectedValue(x->observed).toHtmlEscaped())));
        } else if (const auto* n = e.as<NoteEvent>(); n && n->level != NoteLevel::Info) {
            notes << QStringLiteral("<p style='color:%1'>%2</p>").arg(bad, calltext::note(n->text).toHtmlEscaped());
        } else if (const auto* g = e.as<GateEvent>()) {
            gate << gatetext::action(*g).toHtmlEscaped();
        } else if (const auto* seg = e.as<SegmentEvent>(); seg && !seg->fate.empty() && seg->fate != "passed") {
            gate << tr("%1 from %2 to %3: %4")
                        .arg(qs(seg->flagsText()), qs(seg->from), qs(seg->to), gatetext::fate(*seg))
                        .toHtmlEscaped();
        }
    }
    // The statement and its narration are told as soon as the step starts, before its events are
    // revealed (a busy step's call may be recorded last, after every segment it caused); what the
    // call returned waits for its event.
    const bool callShown = call != nullptr;
    for (std::size_t i = visible; !call && i < m_trace->events.size() && m_trace->events[i].step <= m_step; ++i) {
        const Event& e = m_trace->events[i];
        if (const auto* s = e.as<StepEvent>(); s && e.step == m_step && s->phase != Phase::Completed)
            call = s;
    }
    html += QStringLiteral("<p style='color:%1'>%2</p>")
                .arg(dim, tr("Step %1 of %2").arg(m_step + 1).arg(m_trace->stepCount));
    if (call) {
        html += QStringLiteral("<p><code style='font-size:large'>%1</code></p>").arg(qs(call->text).toHtmlEscaped());
        auto it = call->narration.find(m_lang.toStdString());
        if (it == call->narration.end())
            it = call->narration.find("en");
        if (it != call->narration.end())
            html += QStringLiteral("<p style='color:%1'>%2</p>").arg(fg, qs(it->second).toHtmlEscaped());
        auto result = [&](const StepEvent* s) {
            QString r = (calltext::call(*s) + QStringLiteral(" = ") + QString::number(s->result)).toHtmlEscaped();
            if (s->err != 0)
                r += QStringLiteral(" <b style='color:%1'>%2</b>").arg(bad, qs(errnoName(s->err)).toHtmlEscaped());
            return r;
        };
        if (callShown && call->call != "wait" && call->call != "gate") { // a gate step did what its gate events say
            if (call->phase == Phase::Blocked)
                html += QStringLiteral("<p>%1</p>")
                            .arg(completion ? tr("The call blocked, then returned: %1").arg(result(completion))
                                            : tr("The call is blocked: the application waits while the kernel "
                                                 "cannot complete it. The run goes on with the other sockets."));
            else
                html += QStringLiteral("<p>%1</p>").arg(result(call));
        }
    }
    html += notes.join(QString());
    if (!gate.isEmpty())
        html += QStringLiteral("<p><b>%1</b><br>%2</p>").arg(tr("At the gate"), gate.join(QStringLiteral("<br>")));
    // On a projector the results run on as one paragraph: all of them, in fewer lines, so the type
    // can stay large.
    if (!expectations.isEmpty())
        html += QStringLiteral("<p>")
            + expectations.join(m_presentation ? QStringLiteral("&nbsp;&nbsp;&nbsp; ") : QStringLiteral("<br>"))
            + QStringLiteral("</p>");
    setHtml(html);
}

} // namespace synack
