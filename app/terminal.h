// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <string>
#include <string_view>

namespace synack::terminal {

/// `text` with every control character but newline and tab written out as an escape: C0 and DEL
/// as `\x1b`, C1 (U+0080..U+009F, which some terminals obey as ESC [ ...) as `\u009b`. A title,
/// a narration or an error message from someone else's file must not drive the terminal.
std::string escapeControls(std::string_view text);

/// Makes std::cout and std::cerr escape control characters (as escapeControls() does) and write
/// straight to descriptors 1 and 2, recording the errno of a failed write. Once, at start.
void install();

/// Flushes std::cout; 0 when everything written to it reached descriptor 1, else the errno of the
/// first write that failed (ENOSPC on /dev/full, EPIPE on a closed pipe with SIGPIPE ignored).
int stdoutError();

} // namespace synack::terminal
