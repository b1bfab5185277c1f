// The terminal progress bar of progress.hpp.
#include "custometrics/progress.hpp"

#include <memory>
#include <string>

CUSTOMETRICS_BEGIN_NAMESPACE

progress_callback terminal_progress_bar(std::FILE* out) {
    // The last line drawn: a redraw only when the stage or the whole percent changes.
    // The line is ended when the callback goes (the end of the progress_scope), so a routine
    // that stops short of its total (a fit that converges early) leaves no line open.
    struct state {
        std::FILE* out;
        std::string stage;
        int percent = -1;
        bool open = false; // a line without its newline yet
        explicit state(std::FILE* f) : out(f) {}
        state(const state&) = delete;
        state& operator=(const state&) = delete;
        ~state() {
            if (open) std::fputc('\n', out);
        }
    };
    auto last = std::make_shared<state>(out);
    return [out, last](std::string_view stage, std::uint64_t done, std::uint64_t total) {
        const int percent =
            total == 0
                ? -1
                : static_cast<int>(100 * static_cast<double>(done) / static_cast<double>(total));
        if (stage == last->stage && percent == last->percent && total != 0) return;
        last->stage.assign(stage); // another stage (a fit inside the report) redraws in place
        last->percent = percent;
        constexpr int width = 30;
        const int filled = percent < 0 ? 0 : percent * width / 100;
        std::fprintf(out, "\r\033[K%-10.*s [%s%s] ", static_cast<int>(stage.size()), stage.data(),
                     std::string(static_cast<std::size_t>(filled), '#').c_str(),
                     std::string(static_cast<std::size_t>(width - filled), ' ').c_str());
        if (total == 0)
            std::fprintf(out, "%llu", static_cast<unsigned long long>(done));
        else
            std::fprintf(out, "%3d%% %llu/%llu", percent, static_cast<unsigned long long>(done),
                         static_cast<unsigned long long>(total));
        last->open = !(total != 0 && done >= total);
        if (!last->open) std::fputc('\n', out);
        std::fflush(out);
    };
}

CUSTOMETRICS_END_NAMESPACE
