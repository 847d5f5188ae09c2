package io.rendercast.canvas.gpu;

/** The few 4x4 matrices the scene needs, column-major as OpenGL takes them. */
final class Matrices {

    private Matrices() {
    }

    static float[] perspective(double fovY, double aspect, double near, double far) {
        double f = 1 / Math.tan(fovY / 2);
        float[] m = new float[16];
        m[0] = (float) (f / aspect);
        m[5] = (float) f;
        m[10] = (float) ((far + near) / (near - far));
        m[11] = -1;
        m[14] = (float) (2 * far * near / (near - far));
        return m;
    }

    /** A view matrix from an eye looking at the origin, y up. */
    static float[] lookAtOrigin(double[] eye) {
        double[] f = normalize(new double[] {-eye[0], -eye[1], -eye[2]});
        double[] s = normalize(cross(f, new double[] {0, 1, 0}));
        double[] u = cross(s, f);
        float[] m = new float[16];
        m[0] = (float) s[0];
        m[4] = (float) s[1];
        m[8] = (float) s[2];
        m[1] = (float) u[0];
        m[5] = (float) u[1];
        m[9] = (float) u[2];
        m[2] = (float) -f[0];
        m[6] = (float) -f[1];
        m[10] = (float) -f[2];
        m[12] = (float) -(s[0] * eye[0] + s[1] * eye[1] + s[2] * eye[2]);
        m[13] = (float) -(u[0] * eye[0] + u[1] * eye[1] + u[2] * eye[2]);
        m[14] = (float) (f[0] * eye[0] + f[1] * eye[1] + f[2] * eye[2]);
        m[15] = 1;
        return m;
    }

    /** Rotation about y by {@code a}, then about x by {@code b}. */
    static float[] rotation(double a, double b) {
        float ca = (float) Math.cos(a);
        float sa = (float) Math.sin(a);
        float cb = (float) Math.cos(b);
        float sb = (float) Math.sin(b);
        float[] ry = {ca, 0, -sa, 0, 0, 1, 0, 0, sa, 0, ca, 0, 0, 0, 0, 1};
        float[] rx = {1, 0, 0, 0, 0, cb, sb, 0, 0, -sb, cb, 0, 0, 0, 0, 1};
        return multiply(rx, ry);
    }

    static float[] multiply(float[] a, float[] b) {
        float[] m = new float[16];
        for (int col = 0; col < 4; col++) {
            for (int row = 0; row < 4; row++) {
                float sum = 0;
                for (int k = 0; k < 4; k++) {
                    sum += a[k * 4 + row] * b[col * 4 + k];
                }
                m[col * 4 + row] = sum;
            }
        }
        return m;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalize(double[] v) {
        double length = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        return new double[] {v[0] / length, v[1] / length, v[2] / length};
    }
}
