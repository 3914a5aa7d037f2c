# Shared compile settings, applied per target (never globally).

add_library(kd_build_settings INTERFACE)
target_compile_options(kd_build_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wimplicit-fallthrough $<$<BOOL:${KUBEDECK_WERROR}>:-Werror>)
target_compile_definitions(kd_build_settings INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_CONTEXTLESS_CONNECT QT_NO_URL_CAST_FROM_STRING
    QT_NO_FOREACH QT_STRICT_ITERATORS
    KUBEDECK_VERSION="${PROJECT_VERSION}")
if(KUBEDECK_SANITIZE)
    target_compile_options(kd_build_settings INTERFACE
        -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(kd_build_settings INTERFACE -fsanitize=address,undefined)
endif()

# kd_add_library(NAME SOURCES ...): one folder, one static library, public headers in the folder.
function(kd_add_library name)
    add_library(${name} STATIC ${ARGN})
    target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/..)
    target_link_libraries(${name} PRIVATE kd_build_settings)
endfunction()
