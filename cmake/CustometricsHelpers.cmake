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
        if(CUSTOMETRICS_WARNINGS_AS_ERRORS)
            target_compile_options(${target} PRIVATE -Werror)
        endif()
    endif()
endfunction()
