// SPDX-License-Identifier: GPL-3.0-or-later
#include <QImage>
#include <QPainter>
#include <QSet>
#include <QTest>

#include "shots.h"

#include <map>

#include "panels/buffersview.h"
#include "playback/frame.h"
#include "support/recordedtraces.h"
#include "trace/picture.h"

using namespace synack;

namespace {

std::size_t findStep(const Trace& t, const std::string& text, Phase phase = Phase::Done)
{
    for (std::size_t i = 0; i < t.events.size(); ++i) {
        const auto* s = t.events[i].as<StepEvent>();
        if (s && s->text == text && s->phase == phase)
            return i;
    }
    return t.events.size();
}

/// The events of the step starting at `stepEvent`: up to the next step's first event.
std::size_t endOfStep(const Trace& t, std::size_t stepEvent)
{
    const int step = t.events[stepEvent].step;
    std::size_t n = stepEvent;
    while (n < t.events.size() && t.events[n].step == step)
        ++n;
    return n;
}

Frame frameAt(const Trace& t, std::size_t visible, double progress = 1.0)
{
    return synack::test::frameOf(t, visible, progress);
}

const BuffersView::Gauge* gauge(const BuffersView& view, const char* endpoint, const char* kind)
{
    for (const auto& g : view.gauges())
        if (g.endpoint == QLatin1String(endpoint) && g.kind == QLatin1String(kind))
            return &g;
    return nullptr;
}

/// Pixels that differ from the top-left (background) pixel.
int paintedPixels(const QImage& image)
{
    const QRgb background = image.pixel(0, 0);
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            n += image.pixel(x, y) != background;
    return n;
}

QImage render(const BuffersView& view, qreal scale = 1)
{
    const QSize size = view.contentSize();
    QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(scale);
    image.fill(Qt::transparent);
    QPainter p(&image);
    view.paintTo(p, QRectF(QPointF(0, 0), QSizeF(size)));
    p.end();
    return image;
}

} // namespace

class TestBuffersView : public QObject {
    Q_OBJECT

    std::map<QString, Trace> m_traces;
    const Trace& trace(const char* name) { return m_traces.at(QString::fromLatin1(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        // Recorded in the lab and checked in: no kernel needed.
        for (const char* name : { "buffer-fill", "active-close", "backlog-full" })
            m_traces.emplace(QString::fromLatin1(name), synack::test::recordedTrace(name));
    }

    void afterFill()
    {
        const Trace& t = trace("buffer-fill");
        const std::size_t fill = findStep(t, "send client fill");
        QVERIFY(fill < t.events.size());
        BuffersView view;
        view.setFrame(frameAt(t, endOfStep(t, fill)));

        const auto* send = gauge(view, "client", "send");
        QVERIFY(send);
        QVERIFY(send->value > 0);
        QVERIFY(send->unsent > 0);
        QVERIFY(send->unsent <= send->value);
        QVERIFY(send->capacity > 0);
        QVERIFY(send->capacityText.contains(QStringLiteral("SO_SNDBUF")));
        QVERIFY(send->capacityText.contains(view.locale().toString(send->capacity)));
        QCOMPARE(send->shownValue, double(send->value));

        const auto* recv = gauge(view, "server", "receive");
        QVERIFY(recv);
        QVERIFY(recv->value > 0);
        QVERIFY(recv->capacityText.contains(QStringLiteral("SO_RCVBUF")));
        QVERIFY(recv->caption.contains(view.locale().toString(recv->value)));

        // The listener is a small accept-queue gauge: backlog 8, so 9 may wait.
        QVERIFY(!gauge(view, "listener", "send"));
        const auto* accept = gauge(view, "listener", "accept");
        QVERIFY(accept);
        QCOMPARE(accept->value, 0);
        QCOMPARE(accept->capacity, 9);
    }

    void blockedSend()
    {
        const Trace& t = trace("buffer-fill");
        const std::size_t blocked = findStep(t, "send client 100k", Phase::Blocked);
        QVERIFY(blocked < t.events.size());
        BuffersView view;
        const Frame f = frameAt(t, endOfStep(t, blocked));
        view.setFrame(f);
        const auto* send = gauge(view, "client", "send");
        QVERIFY(send);
        QVERIFY(send->blocked);
        QVERIFY(send->unsent > 0);
        // The zero window is shown exactly when the kernel reported it.
        QCOMPARE(send->zeroWindow, f.picture.find("client")->buffers.sndwnd == 0);
        QVERIFY(!gauge(view, "server", "send")->blocked);

        // Later the server reads and the send() returns: no longer blocked.
        view.setFrame(frameAt(t, t.events.size()));
        QVERIFY(!gauge(view, "client", "send")->blocked);
    }

    void historyHasEveryReading_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addRow("buffer-fill") << QStringLiteral("buffer-fill");
        QTest::addRow("active-close") << QStringLiteral("active-close");
        QTest::addRow("backlog-full") << QStringLiteral("backlog-full");
    }
    void historyHasEveryReading()
    {
        QFETCH(QString, scenario);
        const Trace& t = m_traces.at(scenario);
        BuffersView view;
        // Played forward one event at a time (the incremental path), checked against a count.
        for (std::size_t n = 0; n <= t.events.size(); ++n) {
            const Frame f = frameAt(t, n);
            view.setFrame(f);
            for (const auto& g : view.gauges()) {
                const EndpointView* v = f.picture.find(g.endpoint.toStdString());
                QVERIFY(v);
                std::size_t readings = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    const auto* b = t.events[i].as<BuffersEvent>();
                    readings
                        += b && (b->endpoint == v->name || (!v->adoptedFrom.empty() && b->endpoint == v->adoptedFrom));
                }
                QCOMPARE(g.history.size(), readings);
                for (std::size_t i = 1; i < g.history.size(); ++i)
                    QVERIFY(g.history[i - 1].tNs <= g.history[i].tNs);
            }
        }
        // Stepping back rebuilds from the start.
        const std::size_t half = t.events.size() / 2;
        view.setFrame(frameAt(t, half));
        for (const auto& g : view.gauges())
            for (const auto& h : g.history)
                QVERIFY(h.tNs <= t.events[half - 1].tNs);
    }

    void unknownIsNotReported()
    {
        // After active-close the client is in TIME_WAIT and the server is gone: the kernel reports
        // no queues for either.
        const Trace& t = trace("active-close");
        BuffersView view;
        view.setFrame(frameAt(t, t.events.size()));
        for (const char* endpoint : { "client", "server" }) {
            for (const char* kind : { "send", "receive" }) {
                const auto* g = gauge(view, endpoint, kind);
                QVERIFY2(g, endpoint);
                QCOMPARE(g->value, -1);
                QVERIFY(g->caption.contains(QStringLiteral("not reported")));
                QVERIFY(g->capacityText.contains(QStringLiteral("not reported")));
                QVERIFY(!g->zeroWindow);
            }
        }
        QVERIFY(paintedPixels(render(view)) > 0);
    }

    void newestReadingAnimates()
    {
        // The first reading of the fill step: the client's send queue goes from 0 to full.
        const Trace& t = trace("buffer-fill");
        const std::size_t fill = findStep(t, "send client fill");
        std::size_t reading = fill;
        while (reading < t.events.size()) {
            const auto* b = t.events[reading].as<BuffersEvent>();
            if (b && b->endpoint == "client")
                break;
            ++reading;
        }
        QVERIFY(reading < t.events.size());
        const qint64 now = t.events[reading].as<BuffersEvent>()->sendq;
        const qint64 then = Picture::after(t, reading).find("client")->buffers.sendq;
        QVERIFY(now != then);

        BuffersView view;
        view.setFrame(frameAt(t, reading + 1, 0.0));
        QCOMPARE(gauge(view, "client", "send")->shownValue, double(then));
        QCOMPARE(gauge(view, "client", "send")->value, now); // the numbers written are the kernel's
        view.setFrame(frameAt(t, reading + 1, 0.5));
        QCOMPARE(gauge(view, "client", "send")->shownValue, (double(then) + double(now)) / 2);
        view.setFrame(frameAt(t, reading + 1, 1.0));
        QCOMPARE(gauge(view, "client", "send")->shownValue, double(now));
        // Other endpoints are at rest.
        const auto* recv = gauge(view, "server", "receive");
        QCOMPARE(recv->shownValue, double(recv->value));
    }

    void listenerGauge()
    {
        const Trace& t = trace("backlog-full");
        std::size_t full = t.events.size();
        for (std::size_t i = 0; i < t.events.size() && full == t.events.size(); ++i) {
            const auto* x = t.events[i].as<ExpectEvent>();
            if (x && x->endpoint == "listener" && x->quantity == "acceptq")
                full = i;
        }
        QVERIFY(full < t.events.size());
        BuffersView view;
        view.setFrame(frameAt(t, full + 1));
        const auto* accept = gauge(view, "listener", "accept");
        QVERIFY(accept);
        QCOMPARE(accept->value, 2);
        QCOMPARE(accept->capacity, 2); // backlog 1: Linux queues backlog + 1
        // c1/peer and c2/peer are connections not yet accepted: they have queues too.
        QVERIFY(gauge(view, "c1/peer", "receive"));

        // c3 waits in SYN_SENT: no window has come from the peer yet, which is not a zero window,
        // whatever tcpi_snd_wnd says (it reads 0 then).
        const std::size_t c3 = findStep(t, "connect c3 listener", Phase::Blocked);
        QVERIFY(c3 < t.events.size());
        const std::size_t synSent = endOfStep(t, c3);
        const Frame f = frameAt(t, synSent);
        QCOMPARE(f.picture.find("c3")->state, TcpState::SynSent);
        view.setFrame(f);
        const auto* send = gauge(view, "c3", "send");
        QVERIFY(send);
        QVERIFY(!send->zeroWindow);
        QVERIFY(!send->blocked); // blocked in connect(), which is no queue's call
    }

    void paintsSomething()
    {
        const Trace& t = trace("buffer-fill");
        BuffersView view;
        view.setFrame(frameAt(t, 0));
        QVERIFY(view.gauges().empty());
        QVERIFY(!view.contentSize().isEmpty());
        view.setFrame(frameAt(t, t.events.size()));
        const QImage normal = render(view);
        QVERIFY(paintedPixels(normal) > normal.width() * 10);
        view.setPresentation(true);
        QVERIFY(view.contentSize().height() > normal.height()); // larger type
        QVERIFY(paintedPixels(render(view)) > 0);

        // As a widget, on screen (offscreen platform).
        view.resize(view.sizeHint());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(paintedPixels(view.grab().toImage()) > 0);
    }

    void setFrameIsCheap()
    {
        // The player calls setFrame ~60 times a second while animating: replaying the whole
        // buffer-fill run frame by frame must stay far below a frame's budget per call.
        const Trace& t = trace("buffer-fill");
        std::vector<Frame> frames;
        for (std::size_t n = 0; n <= t.events.size(); ++n)
            frames.push_back(frameAt(t, n));
        BuffersView view;
        for (const Frame& f : frames) {
            for (double progress : { 0.0, 0.25, 0.5, 0.75, 1.0 }) {
                Frame g = f;
                g.progress = progress;
                view.setFrame(g);
            }
        }
        // Each event was read once: every frame went on from where the last one stopped.
        QCOMPARE(view.eventsScanned(), t.events.size());
    }

    void screenshot()
    {
        const Trace& t = trace("buffer-fill");
        const std::size_t blocked = findStep(t, "send client 100k", Phase::Blocked);
        BuffersView view;
        view.setFrame(frameAt(t, endOfStep(t, blocked)));
        const QImage image = render(view);
        QVERIFY(image.save(shotPath(QStringLiteral("buffers.png"))));
        QVERIFY(render(view, 2).save(shotPath(QStringLiteral("buffers@2x.png"))));
        view.setPresentation(true);
        QVERIFY(render(view).save(shotPath(QStringLiteral("buffers-presentation.png"))));
        view.setPresentation(false);

        // A dark palette, and what "not reported" looks like (TIME_WAIT and a gone socket).
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
        view.setPalette(dark);
        QVERIFY(render(view, 2).save(shotPath(QStringLiteral("buffers-dark@2x.png"))));
        view.setFrame(frameAt(trace("active-close"), trace("active-close").events.size()));
        QVERIFY(render(view, 2).save(shotPath(QStringLiteral("buffers-notreported@2x.png"))));
        view.setPalette(QPalette());
        const Trace& backlog = trace("backlog-full");
        view.setFrame(frameAt(backlog, endOfStep(backlog, findStep(backlog, "connect c3 listener", Phase::Blocked))));
        QVERIFY(render(view, 2).save(shotPath(QStringLiteral("buffers-backlog@2x.png"))));
    }
};

QTEST_MAIN(TestBuffersView)
#include "tst_buffersview.moc"
