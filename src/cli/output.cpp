// The files a subcommand writes (see output.hpp).
#include "output.hpp"

#include "custometrics/error.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>

namespace custometrics::cli {

output_file::output_file(std::string path, std::string option)
    : m_path(std::move(path)), m_option(std::move(option)) {
    if (m_path.empty()) throw invalid_argument(m_option, "the file name is empty");
    if (m_path == "-") {
        m_to_stdout = true;
        m_stdout = &std::cout;
        return;
    }
    // Beside the destination, so the rename stays on one file system and is atomic.
    m_temp = m_path + ".custometrics-" + std::to_string(::getpid()) + ".tmp";
    errno = 0;
    m_file.open(m_temp, std::ios::binary | std::ios::trunc);
    if (!m_file) {
        const int err = errno;
        throw invalid_argument(m_option,
                               "cannot open \"" + m_path + "\" for writing" +
                                   (err != 0 ? std::string(": ") + std::strerror(err) : ""),
                               m_path);
    }
}

output_file::~output_file() {
    if (m_to_stdout || m_committed) return;
    m_file.close();
    std::remove(m_temp.c_str());
}

void output_file::commit() {
    if (m_committed) return;
    if (m_to_stdout) {
        m_stdout->flush();
        if (!*m_stdout) throw error(m_option + ": writing to standard output failed");
        m_committed = true;
        return;
    }
    m_file.close();
    if (!m_file) throw error(m_option + ": writing \"" + m_path + "\" failed");
    if (std::rename(m_temp.c_str(), m_path.c_str()) != 0) {
        const int err = errno;
        throw error(m_option + ": cannot write \"" + m_path + "\": " + std::strerror(err));
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

} // namespace custometrics::cli
