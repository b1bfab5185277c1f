# Small helpers shared by the project's CMake lists.

# Warnings on a target only (never global flags).
function(custometrics_set_warnings target)
    if(MSVC)
        target_compile_options(${target} PRIVATE /W4)
        if(CUSTOMETRICS_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE /WX)
        endif()
    else()
        target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion
            -Wno-sign-conversion)
        if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
            # GCC 12 reports false positives inside libstdc++ at -O2 and above: -Wrestrict in
            # std::string (GCC bug 105329), -Wmaybe-uninitialized in std::optional<std::string>
            # (GCC bug 107138) and -Wfree-nonheap-object on std::vector<double> moved out of an
            # inlined lambda (GCC bug 108088); all are fine again from GCC 13.
            target_compile_options(${target} PRIVATE -Wno-restrict -Wno-maybe-uninitialized
                -Wno-free-nonheap-object)
        endif()
        if(CUSTOMETRICS_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()

# find_package(<name> <args>...) that, when the package is missing, stops with one message
# naming what to install on Debian/Ubuntu, Fedora, Homebrew and conda-forge, instead of CMake's
# "Could not find a package configuration file provided by ...". Example:
#   custometrics_require(Eigen3 "libeigen3-dev" "eigen3-devel" "eigen" "eigen" 3.3 NO_MODULE)
macro(custometrics_require name debian fedora brew conda)
    find_package(${name} ${ARGN} QUIET)
    if(NOT ${name}_FOUND)
        _custometrics_missing(${name} "${debian}" "${fedora}" "${brew}" "${conda}")
    endif()
endmacro()

# The same for a header-only library without a CMake package: finds `header` and sets
# <name>_INCLUDE_DIR, or stops with the message above. Example:
#   custometrics_require_header(LBFGSpp LBFGS.h liblbfgspp-dev ...)
function(custometrics_require_header name header debian fedora brew conda)
    find_path(${name}_INCLUDE_DIR ${header})
    if(NOT ${name}_INCLUDE_DIR)
        _custometrics_missing(${name} "${debian}" "${fedora}" "${brew}" "${conda}")
    endif()
endfunction()

function(_custometrics_missing name debian fedora brew conda)
        message(FATAL_ERROR
            "custometrics needs ${name}, which CMake did not find. Install it with one of:\n"
            "  Debian/Ubuntu:  apt-get install ${debian}\n"
            "  Fedora:         dnf install ${fedora}\n"
            "  Homebrew:       brew install ${brew}\n"
            "  conda-forge:    conda install -c conda-forge ${conda}\n"
            "or point CMAKE_PREFIX_PATH (or ${name}_DIR) at an installed copy. "
            "scripts/test.sh and scripts/report.sh install every dependency on Debian.")
endfunction()
