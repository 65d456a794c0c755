// Exceptions thrown by src/core; the PostgreSQL layer maps each to a SQLSTATE.
#pragma once

#include <stdexcept>

namespace vx {

/// A size or count beyond what the code supports (program_limit_exceeded).
struct LimitError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Arguments that make no sense (invalid_parameter_value).
struct InvalidArgument : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

/// A build or search was interrupted by a cancel request (query_canceled).
struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("canceling statement due to user request") {}
};

}  // namespace vx
