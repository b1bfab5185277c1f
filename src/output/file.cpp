// Output files written all or nothing (see custometrics/output/file.hpp).
#include "custometrics/output/file.hpp"

#include "custometrics/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <system_error>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

namespace {

// The outputs open now, by normalised path ("-" for standard output), with their options: two
// outputs of one run may not name the same file (they would interleave, and the second commit
// would replace the first).
std::map<std::string, std::string>& open_outputs() {
    static std::map<std::string, std::string> outputs;
    return outputs;
}

// The file `path` names: absolute, with symbolic links (also a dangling last one) resolved.
std::string normalised(const std::string& path) {
    if (path == "-") return path;
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    if (ec) return path;
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
        const fs::path to = fs::read_symlink(p, ec);
        if (ec) break;
        p = to.is_absolute() ? to : p.parent_path() / to;
    }
    const fs::path c = fs::weakly_canonical(p, ec);
    return ec ? p.lexically_normal().string() : c.string();
}

} // namespace

output_file::output_file(std::string path, std::string option)
    : m_path(std::move(path)), m_option(std::move(option)) {
    if (m_path.empty()) throw invalid_argument(m_option, "the file name is empty");
    const std::string key = normalised(m_path);
    if (const auto it = open_outputs().find(key); it != open_outputs().end())
        throw invalid_argument(m_option,
                               "\"" + m_path + "\" is also the output of " + it->second +
                                   "; give each output its own file",
                               m_path);
    if (m_path == "-") {
        m_to_stdout = true;
        m_stdout = &std::cout;
        open_outputs().emplace(key, m_option);
        m_registered = key;
        return;
    }
    // A regular file (or a new one) is written beside its final place and renamed onto it on
    // commit; anything else (a FIFO, a device such as /dev/stdout, a process substitution) is
    // written in place, as it cannot be replaced. A symbolic link is followed: the rename lands
    // on its target, and the link stays.
    std::error_code ec;
    const auto status = std::filesystem::status(m_path, ec);
    const bool replaceable =
        !std::filesystem::exists(status) || std::filesystem::is_regular_file(status);
    const std::string target = key; // a link's target: the link stays
    if (replaceable) {
        static unsigned counter = 0;
        m_target = target;
        m_temp = target + ".custometrics-" + std::to_string(::getpid()) + "-" +
                 std::to_string(++counter) + ".tmp";
    }
    errno = 0;
    m_file.open(replaceable ? m_temp : m_path, std::ios::binary | std::ios::trunc);
    if (!m_file) {
        const int err = errno;
        throw invalid_argument(m_option,
                               "cannot open \"" + m_path + "\" for writing" +
                                   (err != 0 ? std::string(": ") + std::strerror(err) : ""),
                               m_path);
    }
    open_outputs().emplace(key, m_option);
    m_registered = key;
}

output_file::~output_file() {
    if (!m_registered.empty()) open_outputs().erase(m_registered);
    if (m_to_stdout || m_committed || m_temp.empty()) return;
    m_file.close();
    std::remove(m_temp.c_str());
}

void output_file::commit() {
    if (m_committed) return;
    if (m_to_stdout) {
        m_stdout->flush();
        if (!*m_stdout)
            throw error(m_option + ": writing to standard output failed",
                        {m_option, {}, {}, {}, "-"});
        m_committed = true;
        return;
    }
    m_file.close();
    if (!m_file)
        throw error(m_option + ": writing \"" + m_path + "\" failed",
                    {m_option, {}, {}, {}, m_path});
    if (!m_temp.empty() && std::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        const int err = errno;
        throw error(m_option + ": cannot write \"" + m_path + "\": " + std::strerror(err),
                    {m_option, {}, {}, {}, m_path});
    }
    m_committed = true;
}

void check_not_input(const std::string& output, const std::string& input, const char* option) {
    if (output.empty() || output == "-" || input.empty() || input == "-") return;
    std::error_code ec;
    if (std::filesystem::equivalent(output, input, ec))
        throw invalid_argument(
            option, "\"" + output + "\" is the input file; write the output elsewhere", output);
}

bool write_outputs(std::initializer_list<output_part> outputs,
                   std::initializer_list<std::string> inputs) {
    for (const output_part& o : outputs)
        for (const std::string& input : inputs)
            check_not_input(o.path, input, o.option);
    std::vector<std::pair<std::unique_ptr<output_file>, const output_part*>> open;
    for (const output_part& o : outputs)
        if (!o.path.empty()) open.emplace_back(std::make_unique<output_file>(o.path, o.option), &o);
    for (auto& [file, o] : open)
        o->write(file->stream());
    bool to_stdout = false;
    for (auto& [file, o] : open) {
        file->commit();
        to_stdout = to_stdout || file->is_stdout();
    }
    return to_stdout;
}

void write_text_file(const std::string& path, const std::string& text,
                     std::initializer_list<std::string> inputs, const char* option) {
    write_table(
        path, inputs, [&](std::ostream& out) { out << text; }, option);
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
