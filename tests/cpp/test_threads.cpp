// Tests of threads.hpp: the process-wide default every routine with threads = 0 uses, and the
// environment variable's parsing (a bad value is ignored, never fatal).
#include <custometrics/detail/parallel.hpp>
#include <custometrics/threads.hpp>

#include <doctest/doctest.h>

#include <cstdlib>
#include <thread>

using namespace custometrics;

TEST_CASE("set_default_threads caps every call made with threads = 0") {
    set_default_threads(1);
    CHECK(default_threads() == 1);
    CHECK(detail::thread_count(std::size_t{1} << 30, 0) == 1);
    CHECK(detail::thread_count(std::size_t{1} << 30, 3) == 3); // an explicit count wins
    set_default_threads(2);
    CHECK(detail::thread_count(std::size_t{1} << 30, 0) == 2);
    set_default_threads(0);
    CHECK(default_threads() >= 1);
}

TEST_CASE("CUSTOMETRICS_NUM_THREADS: a whole number 1..4096, anything else ignored") {
    const auto with = [](const char* v) {
        ::setenv("CUSTOMETRICS_NUM_THREADS", v, 1);
        const unsigned t = detail::threads_from_environment();
        ::unsetenv("CUSTOMETRICS_NUM_THREADS");
        return t;
    };
    CHECK(with("3") == 3);
    CHECK(with("4096") == 4096);
    CHECK(with("0") == 0);
    CHECK(with("4097") == 0);
    CHECK(with("-2") == 0);
    CHECK(with("2.5") == 0);
    CHECK(with("") == 0);
    CHECK(with("many") == 0);
    CHECK(detail::threads_from_environment() == 0); // unset
}
