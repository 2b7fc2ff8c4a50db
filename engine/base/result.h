// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace synack {

/// The errno's symbolic name ("ECONNRESET"), or "0" for success, or "E<number>" when unknown.
std::string errnoName(int err);
/// The errno for a symbolic name ("EPIPE" -> 32); nullopt when the name is not an errno.
std::optional<int> errnoFromName(std::string_view name);

/// A failed call, as a value: which call, its errno, and optional context.
struct Error {
    std::string call; ///< e.g. "bind(127.0.0.1:5000)" or "scenario.synack:3:7"
    int err = 0; ///< errno, or 0 when the error is not a system error
    std::string detail; ///< human text; for errno errors, strerror is appended by message()

    /// "call: detail (ENAME: strerror)".
    std::string message() const;
};

/// Either a value or an Error. Errors are values in the engine: no exceptions cross its boundary.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value)
        : m_v(std::move(value))
    {
    }
    Result(Error error)
        : m_v(std::move(error))
    {
    }

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(m_v); }
    const T& value() const { return std::get<0>(m_v); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const { return std::get<1>(m_v); }

private:
    std::variant<T, Error> m_v;
};

/// Success, or an Error: Result for an operation that gives nothing back.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error)
        : m_error(std::move(error))
    {
    }
    bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return *m_error; }

private:
    std::optional<Error> m_error;
};

/// Makes an Error from the current errno.
Error errnoError(std::string call, int err);

} // namespace synack
