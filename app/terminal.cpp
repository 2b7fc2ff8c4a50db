// SPDX-License-Identifier: GPL-3.0-or-later
#include "terminal.h"

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <streambuf>
#include <unistd.h>

namespace synack::terminal {

namespace {

    constexpr char kHex[] = "0123456789abcdef";

    /// Appends `c` (one byte) to `out`, escaped if it is a control character. `lead` is a held
    /// 0xC2 byte, which begins a C1 control when 0x80..0x9F follows.
    void put(std::string& out, unsigned char c, bool& lead)
    {
        if (lead) {
            lead = false;
            if (c >= 0x80 && c <= 0x9F) {
                out += "\\u00";
                out += kHex[c >> 4];
                out += kHex[c & 0xF];
                return;
            }
            out += '\xC2';
        }
        if (c == 0xC2) {
            lead = true;
            return;
        }
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
            return;
        }
        out += static_cast<char>(c);
    }

    /// A stream buffer that escapes control characters and writes to a descriptor.
    class SafeBuf : public std::streambuf {
    public:
        explicit SafeBuf(int fd)
            : m_fd(fd)
        {
        }
        int error() const { return m_err; }

    protected:
        int_type overflow(int_type c) override
        {
            if (traits_type::eq_int_type(c, traits_type::eof()))
                return sync() == 0 ? traits_type::not_eof(c) : traits_type::eof();
            put(m_out, static_cast<unsigned char>(c), m_lead);
            if (m_out.size() >= 4096 && drain() != 0)
                return traits_type::eof();
            return c;
        }
        std::streamsize xsputn(const char* s, std::streamsize n) override
        {
            for (std::streamsize i = 0; i < n; ++i)
                put(m_out, static_cast<unsigned char>(s[i]), m_lead);
            if (m_out.size() >= 4096 && drain() != 0)
                return 0;
            return n;
        }
        int sync() override { return drain(); }

    private:
        int drain()
        {
            std::size_t done = 0;
            while (done < m_out.size()) {
                const ssize_t w = ::write(m_fd, m_out.data() + done, m_out.size() - done);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0) {
                    if (!m_err)
                        m_err = w < 0 ? errno : EIO;
                    m_out.clear();
                    return -1;
                }
                done += static_cast<std::size_t>(w);
            }
            m_out.clear();
            return m_err ? -1 : 0;
        }

        int m_fd;
        std::string m_out;
        bool m_lead = false;
        int m_err = 0;
    };

    SafeBuf* g_out = nullptr;
    SafeBuf* g_err = nullptr;

} // namespace

std::string escapeControls(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    bool lead = false;
    for (const char c : text)
        put(out, static_cast<unsigned char>(c), lead);
    if (lead)
        out += '\xC2';
    return out;
}

void install()
{
    if (g_out)
        return;
    // Intentionally never freed: std::cout may be used until the process ends.
    g_out = new SafeBuf(STDOUT_FILENO);
    g_err = new SafeBuf(STDERR_FILENO);
    std::cout.rdbuf(g_out);
    std::cerr.rdbuf(g_err);
    std::cerr.setf(std::ios::unitbuf);
}

int stdoutError()
{
    std::cout.flush();
    if (g_out)
        return g_out->error();
    return std::cout ? 0 : EIO;
}

} // namespace synack::terminal
