// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

#include <map>
#include <string>
#include <vector>

#include "trace/trace.h"

namespace synack {

struct LadderFonts;

/// One endpoint's line. accept() renames merge the "<client>/peer" socket with the name it is given.
struct LadderColumn {
    std::vector<QString> names; ///< the first name, then the one accept() gave
    Side side = Side::Client;
    int appearance = 0;
    QString address; ///< the first local address the kernel reported
    double width = 0;
    double x = 0; ///< the line
};

/// The ladder's lanes for one trace: which endpoints it has, on which side, how wide each column
/// is, and where the wire runs between the client and the server lanes.
struct LadderColumns {
    std::vector<LadderColumn> columns;
    std::map<QString, int> columnOf;
    double wireLeft = 0, wireRight = 0, width = 0, headerHeight = 0;
    /// What the last place() was given: every column's widest box and the wire's widest label.
    std::vector<double> givenNeed;
    double givenWireNeed = 0;
    /// The widest a column (by index) and the wire may be, from LadderPrepared::fit(); empty
    /// and 0 mean as wide as their contents.
    std::vector<double> cap;
    double wireCap = 0;

    /// Every endpoint the trace names, in order of first mention, with accept() renames merged.
    void collect(const Trace& t);
    /// The column of an endpoint (by any of its names), or -1.
    int indexOf(const std::string& name) const;
    /// Sizes every column to hold its names, its address and `need` (its widest box), makes the
    /// wire `wireNeed` wide, and places the lanes: clients left of the wire, servers right of it.
    void place(const Trace& t, const std::vector<double>& need, double wireNeed, const LadderFonts& fonts);

private:
    /// Clients by first appearance; on the server side each connection's socket in the order of
    /// its client, so that pairs line up, then listeners and sockets that only bound.
    std::vector<int> order(const Trace& t) const;
};

} // namespace synack
