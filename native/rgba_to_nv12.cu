// RGBA to NV12 and I420 on the GPU: BT.601, limited range, integer arithmetic, chroma the rounded mean of each
// 2x2 block. The same formulas as canvas-gpu's Nv12Reference.java, which the GPU check compares these with.
//
// The source is the OpenGL texture the scene was rendered into, read through a CUDA texture object (point
// filtering, integer reads). OpenGL's first row is the bottom one; the output rows run top-down, as encoders
// take them. One thread converts one 2x2 block: four luma samples and one chroma pair.

__device__ __forceinline__ unsigned char luma(int r, int g, int b) {
    return (unsigned char) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16);
}

__device__ __forceinline__ unsigned char chroma_u(int r, int g, int b) {
    return (unsigned char) (((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128);
}

__device__ __forceinline__ unsigned char chroma_v(int r, int g, int b) {
    return (unsigned char) (((112 * r - 94 * g - 18 * b + 128) >> 8) + 128);
}

// Writes the block's four luma samples and returns the block's mean colour in r, g, b.
__device__ __forceinline__ void convert_block(unsigned long long source, unsigned char* y_plane, size_t y_pitch,
                                              int cx, int cy, int height, int* r, int* g, int* b) {
    int sum_r = 0, sum_g = 0, sum_b = 0;
    for (int dy = 0; dy < 2; dy++) {
        int out_row = 2 * cy + dy;
        int texture_row = height - 1 - out_row;
        for (int dx = 0; dx < 2; dx++) {
            int x = 2 * cx + dx;
            uchar4 p = tex2D<uchar4>(source, x + 0.5f, texture_row + 0.5f);
            y_plane[out_row * y_pitch + x] = luma(p.x, p.y, p.z);
            sum_r += p.x;
            sum_g += p.y;
            sum_b += p.z;
        }
    }
    *r = (sum_r + 2) >> 2;
    *g = (sum_g + 2) >> 2;
    *b = (sum_b + 2) >> 2;
}

// NV12: the Y plane, then one plane of interleaved U and V at half resolution.
extern "C" __global__ void rgba_to_nv12(unsigned long long source, unsigned char* y_plane, size_t y_pitch,
                                        unsigned char* uv_plane, size_t uv_pitch, int width, int height) {
    int cx = blockIdx.x * blockDim.x + threadIdx.x;
    int cy = blockIdx.y * blockDim.y + threadIdx.y;
    if (cx >= width / 2 || cy >= height / 2) {
        return;
    }
    int r, g, b;
    convert_block(source, y_plane, y_pitch, cx, cy, height, &r, &g, &b);
    uv_plane[cy * uv_pitch + 2 * cx] = chroma_u(r, g, b);
    uv_plane[cy * uv_pitch + 2 * cx + 1] = chroma_v(r, g, b);
}

// I420: the Y plane, then the U plane, then the V plane, both at half resolution.
extern "C" __global__ void rgba_to_i420(unsigned long long source, unsigned char* y_plane, size_t y_pitch,
                                        unsigned char* u_plane, unsigned char* v_plane, size_t chroma_pitch,
                                        int width, int height) {
    int cx = blockIdx.x * blockDim.x + threadIdx.x;
    int cy = blockIdx.y * blockDim.y + threadIdx.y;
    if (cx >= width / 2 || cy >= height / 2) {
        return;
    }
    int r, g, b;
    convert_block(source, y_plane, y_pitch, cx, cy, height, &r, &g, &b);
    u_plane[cy * chroma_pitch + cx] = chroma_u(r, g, b);
    v_plane[cy * chroma_pitch + cx] = chroma_v(r, g, b);
}
