# The tree-sitter-python grammar, pinned: fetched from the npm registry with `npm pack` (which,
# unlike `npm install`, runs no build scripts), checked against the registry's recorded sha512,
# and unpacked under third_party/ (ignored by git, shared by every build directory).
# Version 0.23.6 is the last whose parser uses ABI 14, which Debian's libtree-sitter 0.20.7
# accepts; 0.25 moved to ABI 15 and is refused at run time.
set(TSP_VERSION 0.23.6)
# `npm view tree-sitter-python@0.23.6 dist.integrity`:
#   sha512-yIM9z0oxKIxT7bAtPOhgoVl6gTXlmlIhue7liFT4oBPF/lha7Ha4dQBS82Av6hMMRZoVnFJI8M6mL+SwWoLD3A==
# the same digest in hex, as CMake's file(SHA512) prints it:
set(TSP_SHA512 c8833dcf4a31288c53edb02d3ce860a1597a8135e59a5221b9eee58854f8a013c5fe585aec76b8750052f3602fea130c459a159c5248f0cea62fe4b05a82c3dc)
set(TSP_DIR ${CMAKE_SOURCE_DIR}/third_party/tree-sitter-python)
set(TSP_TARBALL ${TSP_DIR}/tree-sitter-python-${TSP_VERSION}.tgz)
set(TSP_SRC ${TSP_DIR}/${TSP_VERSION}/package/src)

if(NOT EXISTS ${TSP_SRC}/parser.c OR NOT EXISTS ${TSP_SRC}/scanner.c)
  file(MAKE_DIRECTORY ${TSP_DIR})
  if(EXISTS ${TSP_TARBALL})
    file(SHA512 ${TSP_TARBALL} have)
    if(NOT have STREQUAL TSP_SHA512)
      file(REMOVE ${TSP_TARBALL})
    endif()
  endif()
  if(NOT EXISTS ${TSP_TARBALL})
    find_program(NPM npm REQUIRED)
    message(STATUS "Fetching tree-sitter-python ${TSP_VERSION} with npm pack")
    string(RANDOM LENGTH 8 tmpname)
    set(tmp ${TSP_DIR}/.fetch-${tmpname})
    file(MAKE_DIRECTORY ${tmp})
    execute_process(COMMAND ${NPM} pack --silent tree-sitter-python@${TSP_VERSION}
                    WORKING_DIRECTORY ${tmp} RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR NOT EXISTS ${tmp}/tree-sitter-python-${TSP_VERSION}.tgz)
      file(REMOVE_RECURSE ${tmp})
      message(FATAL_ERROR "npm pack tree-sitter-python@${TSP_VERSION} failed (${rc}): ${err}")
    endif()
    file(RENAME ${tmp}/tree-sitter-python-${TSP_VERSION}.tgz ${TSP_TARBALL})
    file(REMOVE_RECURSE ${tmp})
  endif()
  file(SHA512 ${TSP_TARBALL} have)
  if(NOT have STREQUAL TSP_SHA512)
    file(REMOVE ${TSP_TARBALL})
    message(FATAL_ERROR "tree-sitter-python-${TSP_VERSION}.tgz: sha512 ${have} does not match "
                        "the pinned ${TSP_SHA512}; the download was removed")
  endif()
  file(ARCHIVE_EXTRACT INPUT ${TSP_TARBALL} DESTINATION ${TSP_DIR}/${TSP_VERSION}
       PATTERNS package/src/* package/LICENSE)
endif()

add_library(tree_sitter_python STATIC ${TSP_SRC}/parser.c ${TSP_SRC}/scanner.c)
set_target_properties(tree_sitter_python PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON
                                                    POSITION_INDEPENDENT_CODE ON)
target_include_directories(tree_sitter_python PRIVATE ${TSP_SRC})
# The external scanner's arrays (rebuilt on every deserialize, hundreds of thousands of times per
# megabyte) allocate through the runtime's allocator functions, as the parser does.
target_compile_definitions(tree_sitter_python PRIVATE TREE_SITTER_REUSE_ALLOCATOR)
# Generated code: its warnings are not ours to fix (these two files only).
set_source_files_properties(${TSP_SRC}/parser.c ${TSP_SRC}/scanner.c PROPERTIES COMPILE_OPTIONS
                            "-w;-Wno-error")
