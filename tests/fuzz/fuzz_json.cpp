// libFuzzer target: the JSON reader (json_value.hpp) and the flat number-member reader.
//
// Invariants: no crash, leak, undefined behaviour (deep nesting included) or exception other
// than custometrics::error.
#include "custometrics/error.hpp"
#include "custometrics/json_value.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cm = custometrics;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        (void)cm::parse_json(text, "fuzz.json");
    } catch (const cm::error&) {
    }
    try {
        (void)cm::json_number_members(text, "fuzz.json");
    } catch (const cm::error&) {
    }
    return 0;
}
