// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace synack {

/// The contents of a regular file of at most `maxBytes`, read with that bound. Anything else is
/// refused before a byte is read: a directory, a device (/dev/zero would never end), a FIFO (it
/// would block: the file is opened non-blocking and checked with fstat first). `what` names the
/// kind of file in messages ("scenario", "trace").
Result<std::string> readRegularFile(const std::string& path, std::int64_t maxBytes, const std::string& what);

} // namespace synack
