{
  "targets": [
    {
      "target_name": "layerwise_native",
      "sources": ["src/addon.c", "src/linalg.c", "src/kernels.c", "src/ials.c", "src/memory.c"],
      "include_dirs": [
        "/usr/include/x86_64-linux-gnu/openblas-pthread",
        "/usr/include/aarch64-linux-gnu/openblas-pthread",
        "/usr/include/openblas"
      ],
      "cflags": ["-O3", "-march=native", "-fopenmp-simd", "-std=c11", "-Wall", "-Wno-unused-parameter"],
      "cflags!": ["-O2", "-O0"],
      "libraries": ["-lopenblas", "-lm", "-lpthread"]
    }
  ]
}
