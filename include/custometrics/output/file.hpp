// Output files written all or nothing, and `-` for standard output: every file the
// command-line tool writes, and the files the Python package writes (`Report.to_html(path)`,
// `save`), go through `output_file`, so no face leaves a partial or clobbered file.
//
// An `output_file` writes to a temporary file beside its path and renames it onto the path in
// `commit()`, so a run that fails (bad input found half-way, a second output that cannot be
// opened, a full disk) leaves no partial file behind and never clobbers an existing one: the
// destructor removes the temporary file of an output that was not committed. A subcommand
// with several outputs opens them all first and commits them after its last check; two
// outputs of one run may not name the same file (or both be `-`). The path `-` writes to
// standard output instead (nothing to rename; flushed on commit). A path that is not a regular
// file (a FIFO, /dev/stdout, a process substitution) is written in place: it cannot be
// replaced, and it is not a file a failed run could leave half-written. A symbolic link to a
// file is followed, so the file is replaced and the link kept.
//
// Example:
//     output_file out(o.out, "--out");
//     out.stream() << "customer_id,score\n";
//     ...                                  // an exception here leaves no file at o.out
//     out.commit();
#pragma once

#include "custometrics/config.hpp"

#include <fstream>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

class output_file {
public:
    /// Opens the temporary file for `path` (or standard output for `-`); throws
    /// `invalid_argument` naming `option` and the path when it cannot be created.
    output_file(std::string path, std::string option = "--out");
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;
    /// Removes the temporary file unless `commit()` succeeded.
    ~output_file();

    /// Where to write.
    std::ostream& stream() noexcept { return m_to_stdout ? *m_stdout : m_file; }
    /// Flushes and closes the file and renames it onto the path; throws `error` naming the
    /// option and the path (the fields `argument` and `value`) when writing or renaming failed.
    void commit();
    /// The path given (`-` for standard output).
    const std::string& path() const noexcept { return m_path; }
    /// Whether this output is standard output.
    bool is_stdout() const noexcept { return m_to_stdout; }

private:
    std::string m_path, m_option;
    std::string m_temp;       ///< empty when the path is written in place (a FIFO, a device)
    std::string m_target;     ///< what the temporary file is renamed onto (a link's target)
    std::string m_registered; ///< the key of this output among the open ones
    bool m_to_stdout = false;
    bool m_committed = false;
    std::ostream* m_stdout = nullptr;
    std::ofstream m_file;
};

/// Throws `invalid_argument` naming `option` when `output` names the same file as `input`
/// (writing the summary of a log over the log would lose it).
void check_not_input(const std::string& output, const std::string& input, const char* option);

/// Writes `text` to `path` (the file of `option`) all or nothing, after checking that it names
/// none of `inputs`. Example: `write_text_file("report.html", page, {}, "path")`.
void write_text_file(const std::string& path, const std::string& text,
                     std::initializer_list<std::string> inputs = {}, const char* option = "path");

/// One output of a run that writes several (`write_outputs`): its path (empty: not written),
/// the option that names it in errors, and what writes it.
struct output_part {
    std::string path;
    const char* option = "--out";
    std::function<void(std::ostream&)> write;
};

/// Writes the `outputs` that have a path all or nothing together: each checked against the
/// `inputs` (`check_not_input`), all opened before any is written (a second output that cannot
/// be opened fails the run with nothing written), all committed after the last is written.
/// Returns whether one of them is the standard output (`-`): the caller then prints nothing
/// else there. Example: a table and the rows left out,
/// `write_outputs({{out, "--out", table}, {rejected, "--rejected", left_out}}, {log_file})`.
bool write_outputs(std::initializer_list<output_part> outputs,
                   std::initializer_list<std::string> inputs = {});

/// Writes a subcommand's table with `write(std::ostream&)` to `path`, the file of `option`,
/// all or nothing, after checking that it names none of `inputs` (`check_not_input`); nothing
/// when `path` is empty. Returns whether the table went to standard output (`-`): the caller
/// then prints nothing else there.
template <class Write>
bool write_table(const std::string& path, std::initializer_list<std::string> inputs, Write&& write,
                 const char* option = "--out") {
    if (path.empty()) return false;
    for (const std::string& input : inputs)
        check_not_input(path, input, option);
    output_file file(path, option);
    std::forward<Write>(write)(file.stream());
    file.commit();
    return file.is_stdout();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
