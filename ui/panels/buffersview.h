// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>

#include <QString>
#include <QWidget>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "playback/frame.h"

class QPainter;

namespace synack {

/// Each socket's queues as gauges: for a connection, the send queue against SO_SNDBUF (split into
/// bytes sent but not yet acknowledged and bytes not yet sent) and the receive queue against
/// SO_RCVBUF; for a listener, its accept queue against backlog + 1. Every gauge carries a
/// sparkline of all the readings so far. Only what the kernel reported is drawn: a value it did
/// not report is written "not reported", never shown as 0.
class BuffersView : public QWidget {
    Q_OBJECT
public:
    /// One reading of a gauge's quantity (-1: not reported).
    struct HistoryPoint {
        std::int64_t tNs = 0;
        qint64 value = -1;
        qint64 unsent = -1;
        qint64 capacity = -1; ///< the capacity reported with it (the charts' scale)
    };
    /// A gauge as it is drawn: the inspection API for tests, and what paintTo() draws.
    struct Gauge {
        QString endpoint;
        QString kind; ///< "send", "receive" or "accept"
        qint64 value = -1; ///< the kernel's reading: bytes queued, or connections waiting; -1 = not reported
        qint64 capacity = -1; ///< SO_SNDBUF / SO_RCVBUF as the kernel reports them, or backlog + 1
        qint64 unsent = -1; ///< send queue: bytes not yet sent (the rest are sent, not yet acknowledged)
        bool zeroWindow = false; ///< send: the peer advertises a zero window; receive: we do
        bool blocked = false; ///< the endpoint's application is blocked in the call that uses this queue
        double shownValue = 0; ///< drawn now: moves from the previous reading to `value` as the frame animates
        double shownUnsent = 0;
        QString caption; ///< the numbers written under the gauge
        QString capacityText; ///< "of SO_SNDBUF 16384 bytes"
        std::vector<HistoryPoint> history; ///< every reading of this endpoint among the visible events
    };

    explicit BuffersView(QWidget* parent = nullptr);

    /// Shows a frame; called for every animation frame, so it only rescans new events.
    void setFrame(const Frame& frame);
    void setPresentation(bool on);
    bool presentation() const { return m_presentation; }

    /// The most sockets with gauges; the others are counted (moreText()).
    static constexpr std::size_t kMaxBlocks = 24;
    /// The most points of a sparkline (more readings than that are thinned, keeping peaks).
    static constexpr std::size_t kMaxHistory = 512;

    /// Draws everything into `rect` (also used for export and screenshots).
    void paintTo(QPainter& painter, const QRectF& rect) const;
    /// "and K more sockets…" when there are more than kMaxBlocks; else "".
    QString moreText() const;
    /// The size the gauges need at the current font.
    QSize contentSize() const;
    QSize sizeHint() const override { return contentSize(); }
    QSize minimumSizeHint() const override;

    const std::vector<Gauge>& gauges() const { return m_gauges; }
    /// Where gauge `index` is drawn (with its endpoint's heading when it is the first), in widget
    /// coordinates; null for no such gauge.
    QRectF gaugeRect(std::size_t index) const;
    /// The fullest queue (blocked or at a zero window first): what a short pane scrolls to.
    std::optional<std::size_t> busiestGauge() const;
    /// How many events setFrame() has read so far: playing forward reads each once.
    std::size_t eventsScanned() const { return m_eventsScanned; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    /// One BuffersEvent of an endpoint, the fields the gauges draw.
    struct Sample {
        std::int64_t tNs = 0;
        std::int64_t recvq = -1, sendq = -1, notsent = -1, sndbuf = -1, rcvbuf = -1, acceptq = -1, backlog = -1;
    };
    struct Series {
        std::vector<Sample> samples;
        bool connected = false; ///< has had a connection (any state but CLOSE and LISTEN, or a peer)
    };
    /// An endpoint's heading and the gauges under it (m_gauges[first, first + count)).
    struct Block {
        QString endpoint;
        QString state;
        QString note; ///< "gone", "blocked in ..."
        bool gone = false;
        std::size_t first = 0;
        std::size_t count = 0;
    };
    struct Metrics;

    /// Reads the events not yet read; true when it had to start again from the first.
    bool scan(const Frame& frame);
    void rebuild(const Frame& frame);
    Metrics metrics() const;
    double blockHeight(const Metrics& m, const Block& b) const;
    void paintTo(QPainter& p, const QRectF& rect, const QRectF& exposed) const;
    void paintGauge(QPainter& p, const Metrics& m, const Gauge& g, const QRectF& r) const;
    void paintSparkline(QPainter& p, const Metrics& m, const Gauge& g, const QRectF& r) const;

    // What has been scanned of which trace, so setFrame() only reads the new events.
    const Trace* m_trace = nullptr;
    std::uint64_t m_revision = 0;
    std::size_t m_scanned = 0;
    std::size_t m_eventsScanned = 0;
    std::int64_t m_lastScannedNs = -1;
    std::map<std::string, Series> m_series;

    // The frame shown.
    std::size_t m_visible = 0;
    double m_progress = -1;
    std::int64_t m_nowNs = -1;
    std::int64_t m_endNs = 1; ///< the sparklines' time axis runs from 0 to here
    std::vector<Gauge> m_gauges;
    std::vector<Block> m_blocks;
    std::size_t m_moreBlocks = 0; ///< sockets with queues beyond kMaxBlocks
    bool m_presentation = false;
};

} // namespace synack
