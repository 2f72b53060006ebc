import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The UI is served by the gateway from `dist/` at the same address as the API; `npm run dev -w web`
 * serves it with hot reload and sends `/api` to a gateway on ZHELIAN_URL (default :8080).
 */
export default defineConfig({
    plugins: [vue()],
    define: {
        __VUE_OPTIONS_API__: false,
        __VUE_PROD_DEVTOOLS__: false,
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
        __VUE_I18N_FULL_INSTALL__: true,
        __VUE_I18N_LEGACY_API__: false,
        __INTLIFY_PROD_DEVTOOLS__: false,
    },
    build: {
        outDir: 'dist',
        target: 'es2022',
        chunkSizeWarningLimit: 600,
    },
    server: {
        proxy: { '/api': { target: process.env.ZHELIAN_URL ?? 'http://127.0.0.1:8080', changeOrigin: false } },
    },
});
