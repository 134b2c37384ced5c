# The core as a package carries it: `cmake --install <build> --component
# nws-core-sources --prefix DIR` (scripts/vendor-core.sh runs it) copies the
# public and private headers, the sources, the tables' generator, VERSION,
# this CMake project (for packages built with CMake: the Python sdist) and a
# Makefile for the others, and fmt's headers, so a package builds on a
# machine that has nothing but a C++20 compiler.
set(NWS_ALL_SOURCES ${NWS_PROTOCOL_SOURCES} ${NWS_ENGINE_SOURCES} ${NWS_SERVER_SOURCES} ${NWS_CLIENT_SOURCES}
    ${NWS_VALUES_SOURCES} ${NWS_SECURITY_SOURCES} ${NWS_SLEIGH_SOURCES})
list(JOIN NWS_ALL_SOURCES " " NWS_SOURCES)
configure_file(${CMAKE_CURRENT_LIST_DIR}/../package/Makefile.in ${CMAKE_CURRENT_BINARY_DIR}/package/Makefile @ONLY)

set(_nws_core ${CMAKE_CURRENT_LIST_DIR}/..)
install(DIRECTORY ${_nws_core}/include/ DESTINATION include COMPONENT nws-core-sources)
install(DIRECTORY ${_nws_core}/src/ DESTINATION src COMPONENT nws-core-sources
        FILES_MATCHING PATTERN "*.hpp" PATTERN "*.cpp")
install(DIRECTORY ${_nws_core}/tools/ DESTINATION tools COMPONENT nws-core-sources
        PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY ${_nws_core}/cmake/ DESTINATION cmake COMPONENT nws-core-sources)
install(DIRECTORY ${_nws_core}/package/ DESTINATION package COMPONENT nws-core-sources)
install(FILES ${_nws_core}/CMakeLists.txt ${_nws_core}/VERSION ${CMAKE_CURRENT_BINARY_DIR}/package/Makefile
        DESTINATION . COMPONENT nws-core-sources)

# CLI11 (header-only): nws-server's command line, for the packages that
# build the program too (the Python wheel ships it).
find_path(NWS_CLI11_INCLUDE CLI/CLI.hpp HINTS ${_nws_core}/third_party)
if(NWS_CLI11_INCLUDE)
  install(DIRECTORY ${NWS_CLI11_INCLUDE}/CLI DESTINATION third_party COMPONENT nws-core-sources)
endif()
foreach(licence /usr/share/doc/libcli11-dev/copyright ${_nws_core}/third_party/CLI/LICENSE)
  if(EXISTS ${licence})
    install(FILES ${licence} DESTINATION third_party/CLI RENAME LICENSE COMPONENT nws-core-sources)
    break()
  endif()
endforeach()

# fmt: the headers this build uses (header-only), with its licence.
get_target_property(_nws_fmt_include fmt::fmt-header-only INTERFACE_INCLUDE_DIRECTORIES)
foreach(dir IN LISTS _nws_fmt_include)
  if(EXISTS ${dir}/fmt/format.h)
    install(DIRECTORY ${dir}/fmt DESTINATION third_party COMPONENT nws-core-sources)
    break()
  endif()
endforeach()
foreach(licence /usr/share/doc/libfmt-dev/copyright ${_nws_core}/third_party/fmt/LICENSE)
  if(EXISTS ${licence})
    install(FILES ${licence} DESTINATION third_party/fmt RENAME LICENSE COMPONENT nws-core-sources)
    break()
  endif()
endforeach()

# msgpack-cxx: the headers this build uses (header-only), with its licence.
install(FILES ${NWS_MSGPACK_INCLUDE}/msgpack.hpp DESTINATION third_party COMPONENT nws-core-sources)
install(DIRECTORY ${NWS_MSGPACK_INCLUDE}/msgpack DESTINATION third_party COMPONENT nws-core-sources)
foreach(licence /usr/share/doc/libmsgpack-cxx-dev/copyright ${_nws_core}/third_party/msgpack/LICENSE)
  if(EXISTS ${licence})
    install(FILES ${licence} DESTINATION third_party/msgpack RENAME LICENSE COMPONENT nws-core-sources)
    break()
  endif()
endforeach()
