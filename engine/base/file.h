// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/fd.h"

#include "base/result.h"

namespace synack {

/// The contents of a regular file of at most `maxBytes`, read with that bound. Anything else is
/// refused before a byte is read: a directory, a device (/dev/zero would never end), a FIFO (it
/// would block: the file is opened non-blocking and checked with fstat first). `what` names the
/// kind of file in messages ("scenario", "trace").
Result<std::string> readRegularFile(const std::string& path, std::int64_t maxBytes, const std::string& what);

/// A file the user asked for (`--json`, `--pcap`), written whole or not at all. open() checks the
/// path before any work is done and makes a temporary file beside the target; commit() writes,
/// flushes to disk and renames it over the target, so a full disk or an interruption leaves the
/// old file (or none), never a truncated one. A target that exists and is not a regular file
/// (/dev/stdout, a pipe such as `>(jq .)`, a named FIFO with a reader) is written directly: it is
/// never replaced. Every error names the path and the errno. Dropped without commit(), the
/// temporary file is removed.
class OutputFile {
public:
    static Result<OutputFile> open(const std::string& path);
    /// The target's path is "-": standard output (not renamed, not closed).
    static OutputFile standardOutput();

    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    const std::string& path() const { return m_path; }
    /// Writes `bytes` as the file's whole content. Once only.
    Result<void> commit(std::string_view bytes);

private:
    OutputFile() = default;
    void discard();

    std::string m_path; ///< the target
    std::string m_temp; ///< the temporary file beside it; empty when written directly
    Fd m_fd;
    bool m_stdout = false;
};

} // namespace synack
