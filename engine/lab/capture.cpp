// SPDX-License-Identifier: GPL-3.0-or-later
#include "lab/capture.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <utility>

namespace synack {

namespace {

// The ring: frames of 512 bytes (tpacket2_hdr and sockaddr_ll take the first 80, leaving
// kSnapLen for the packet), 128 to a 64 KiB block, 64 blocks: 4 MiB, 8192 packets between two
// drains. The runner drains every few milliseconds, so that is far more than a step sends.
constexpr unsigned kFrameSize = 512;
constexpr unsigned kBlockSize = 64 * 1024;
constexpr unsigned kBlockCount = 64;

std::int64_t clockNs(clockid_t clock)
{
    timespec ts {};
    ::clock_gettime(clock, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

/// CLOCK_REALTIME minus CLOCK_MONOTONIC, from the tightest of a few bracketed readings.
std::int64_t realMinusMono()
{
    std::int64_t best = 0, bestGap = -1;
    for (int i = 0; i < 5; ++i) {
        const std::int64_t m1 = clockNs(CLOCK_MONOTONIC);
        const std::int64_t r = clockNs(CLOCK_REALTIME);
        const std::int64_t m2 = clockNs(CLOCK_MONOTONIC);
        if (bestGap < 0 || m2 - m1 < bestGap) {
            bestGap = m2 - m1;
            best = r - (m1 + (m2 - m1) / 2);
        }
    }
    return best;
}

std::uint16_t be16(const std::uint8_t* p)
{
    return static_cast<std::uint16_t>(p[0] << 8 | p[1]);
}
std::uint32_t be32(const std::uint8_t* p)
{
    return static_cast<std::uint32_t>(p[0]) << 24 | static_cast<std::uint32_t>(p[1]) << 16
        | static_cast<std::uint32_t>(p[2]) << 8 | p[3];
}

void addText(std::string& text, const std::string& part)
{
    if (!text.empty())
        text += ',';
    text += part;
}

/// The options in wire order, in tcpdump's words.
TcpOptions decodeOptions(const std::uint8_t* p, std::size_t len)
{
    TcpOptions o;
    std::size_t i = 0;
    while (i < len) {
        const std::uint8_t kind = p[i];
        if (kind == 0) { // end of option list
            addText(o.text, "eol");
            break;
        }
        if (kind == 1) {
            addText(o.text, "nop");
            ++i;
            continue;
        }
        if (i + 1 >= len || p[i + 1] < 2 || i + p[i + 1] > len) {
            addText(o.text, "bad opt");
            break;
        }
        const std::size_t size = p[i + 1];
        const std::uint8_t* v = p + i + 2;
        if (kind == 2 && size == 4) {
            o.mss = be16(v);
            addText(o.text, "mss " + std::to_string(*o.mss));
        } else if (kind == 3 && size == 3) {
            o.wscale = v[0];
            addText(o.text, "wscale " + std::to_string(v[0]));
        } else if (kind == 4 && size == 2) {
            o.sackPermitted = true;
            addText(o.text, "sackOK");
        } else if (kind == 5 && (size - 2) % 8 == 0) {
            std::string t = "sack " + std::to_string((size - 2) / 8);
            for (std::size_t b = 0; b + 8 <= size - 2; b += 8) {
                o.sack.emplace_back(be32(v + b), be32(v + b + 4));
                t += " {" + std::to_string(be32(v + b)) + ":" + std::to_string(be32(v + b + 4)) + "}";
            }
            addText(o.text, t);
        } else if (kind == 8 && size == 10) {
            o.tsVal = be32(v);
            o.tsEcr = be32(v + 4);
            addText(o.text, "TS val " + std::to_string(*o.tsVal) + " ecr " + std::to_string(*o.tsEcr));
        } else {
            addText(o.text, "unknown-" + std::to_string(kind));
        }
        i += size;
    }
    return o;
}

} // namespace

std::optional<DecodedSegment> decodeSegment(const std::uint8_t* data, std::size_t size, std::size_t wireLength)
{
    if (size < 1)
        return std::nullopt;
    DecodedSegment s;
    std::size_t ipHeader = 0;
    std::size_t ipTotal = 0;
    const unsigned version = data[0] >> 4;
    if (version == 4) {
        if (size < 20 || data[9] != IPPROTO_TCP)
            return std::nullopt;
        ipHeader = static_cast<std::size_t>(data[0] & 0x0f) * 4;
        // A total length of 0 is a BIG TCP (> 64 KiB) GSO packet: its length is the packet's.
        ipTotal = be16(data + 2);
        s.src.family = s.dst.family = AF_INET;
        std::memcpy(s.src.addr.data(), data + 12, 4);
        std::memcpy(s.dst.addr.data(), data + 16, 4);
    } else if (version == 6) {
        // No extension headers: the kernel's own TCP over lo sends none.
        if (size < 40 || data[6] != IPPROTO_TCP)
            return std::nullopt;
        ipHeader = 40;
        const std::size_t payload = be16(data + 4);
        ipTotal = payload ? payload + 40 : 0;
        s.src.family = s.dst.family = AF_INET6;
        std::memcpy(s.src.addr.data(), data + 8, 16);
        std::memcpy(s.dst.addr.data(), data + 24, 16);
    } else {
        return std::nullopt;
    }
    if (ipHeader < 20 || size < ipHeader + 20)
        return std::nullopt;
    const std::uint8_t* tcp = data + ipHeader;
    const std::size_t tcpHeader = static_cast<std::size_t>(tcp[12] >> 4) * 4;
    if (tcpHeader < 20 || size < ipHeader + tcpHeader)
        return std::nullopt;
    s.src.port = be16(tcp);
    s.dst.port = be16(tcp + 2);
    s.seq = be32(tcp + 4);
    s.ack = be32(tcp + 8);
    s.flags = tcp[13];
    s.window = be16(tcp + 14);
    if (ipTotal == 0)
        ipTotal = wireLength;
    s.payload = ipTotal > ipHeader + tcpHeader ? static_cast<std::uint32_t>(ipTotal - ipHeader - tcpHeader) : 0;
    s.options = decodeOptions(tcp + 20, tcpHeader - 20);
    return s;
}

std::optional<DecodedSegment> decodeSegment(const CapturedPacket& packet)
{
    return decodeSegment(packet.bytes.data(), packet.bytes.size(), packet.length);
}

std::int64_t monotonicNowNs()
{
    return clockNs(CLOCK_MONOTONIC);
}

Result<Capture> Capture::open(Fd packetSocket)
{
    const int fd = packetSocket.get();
    int version = TPACKET_V2;
    if (::setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof version) != 0)
        return errnoError("setsockopt(PACKET_VERSION, TPACKET_V2)", errno);
    tpacket_req req {};
    req.tp_block_size = kBlockSize;
    req.tp_block_nr = kBlockCount;
    req.tp_frame_size = kFrameSize;
    req.tp_frame_nr = kBlockSize / kFrameSize * kBlockCount;
    if (::setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof req) != 0)
        return errnoError("setsockopt(PACKET_RX_RING)", errno);
    const std::size_t size = static_cast<std::size_t>(kBlockSize) * kBlockCount;
    void* ring = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (ring == MAP_FAILED)
        return errnoError("mmap(PACKET_RX_RING)", errno);
    Capture c;
    c.m_fd = std::move(packetSocket);
    c.m_ring = ring;
    c.m_ringSize = size;
    c.m_frameSize = kFrameSize;
    c.m_frameCount = req.tp_frame_nr;
    c.m_realMinusMono = realMinusMono();
    // Statistics count from the socket's creation; start from zero.
    tpacket_stats stats {};
    socklen_t len = sizeof stats;
    ::getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &stats, &len);
    return c;
}

Capture::Capture(Capture&& other) noexcept
{
    *this = std::move(other);
}

Capture& Capture::operator=(Capture&& other) noexcept
{
    if (this != &other) {
        release();
        m_fd = std::move(other.m_fd);
        m_ring = std::exchange(other.m_ring, nullptr);
        m_ringSize = std::exchange(other.m_ringSize, 0);
        m_frameSize = other.m_frameSize;
        m_frameCount = other.m_frameCount;
        m_next = other.m_next;
        m_realMinusMono = other.m_realMinusMono;
        m_lastMono = other.m_lastMono;
        m_drops = other.m_drops;
    }
    return *this;
}

Capture::~Capture()
{
    release();
}

void Capture::release()
{
    if (m_ring)
        ::munmap(m_ring, m_ringSize);
    m_ring = nullptr;
    m_fd.reset();
}

std::vector<CapturedPacket> Capture::drain()
{
    std::vector<CapturedPacket> out;
    if (!m_ring)
        return out;
    const std::int64_t readAt = monotonicNowNs();
    for (unsigned seen = 0; seen < m_frameCount; ++seen) {
        auto* frame = static_cast<std::uint8_t*>(m_ring) + static_cast<std::size_t>(m_next) * m_frameSize;
        auto* hdr = reinterpret_cast<tpacket2_hdr*>(frame);
        // The kernel hands a frame over by setting TP_STATUS_USER after filling it: acquire, so
        // its contents are read after the status, and release it back the same way.
        const std::uint32_t status = __atomic_load_n(&hdr->tp_status, __ATOMIC_ACQUIRE);
        if (!(status & TP_STATUS_USER))
            break;
        const auto* sll = reinterpret_cast<const sockaddr_ll*>(frame + TPACKET_ALIGN(sizeof(tpacket2_hdr)));
        const std::uint16_t proto = ntohs(sll->sll_protocol);
        if (sll->sll_pkttype != PACKET_OUTGOING && (proto == ETH_P_IP || proto == ETH_P_IPV6)
            && hdr->tp_net + hdr->tp_snaplen <= m_frameSize) {
            CapturedPacket p;
            p.realNs = static_cast<std::int64_t>(hdr->tp_sec) * 1'000'000'000 + hdr->tp_nsec;
            p.monoNs = std::clamp(p.realNs - m_realMinusMono, m_lastMono, readAt);
            m_lastMono = p.monoNs;
            p.length = hdr->tp_len;
            p.bytes.assign(frame + hdr->tp_net, frame + hdr->tp_net + hdr->tp_snaplen);
            out.push_back(std::move(p));
        }
        __atomic_store_n(&hdr->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
        m_next = (m_next + 1) % m_frameCount;
    }
    return out;
}

std::uint64_t Capture::dropped()
{
    tpacket_stats stats {};
    socklen_t len = sizeof stats;
    // PACKET_STATISTICS resets the kernel's counters on every read: keep the sum here.
    if (m_fd && ::getsockopt(m_fd.get(), SOL_PACKET, PACKET_STATISTICS, &stats, &len) == 0)
        m_drops += stats.tp_drops;
    return m_drops;
}

} // namespace synack
