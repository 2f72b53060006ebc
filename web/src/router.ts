import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import HomePage from './pages/HomePage.vue';

/**
 * One route per page. Home is in the first bundle; every other page loads on its first visit, so
 * the QR library, the workshop and the explorer cost nothing until they are used. `public` pages
 * (what a QR code or a receipt leads to) need no identity and fit a phone.
 */
const routes: RouteRecordRaw[] = [
    { path: '/', name: 'home', component: HomePage },
    { path: '/app/:app', name: 'app', component: () => import('./pages/AppPage.vue'), props: true },
    { path: '/explorer', name: 'explorer', component: () => import('./pages/ExplorerPage.vue') },
    {
        path: '/explorer/blocks/:number',
        name: 'block',
        component: () => import('./pages/BlockPage.vue'),
        props: true,
    },
    {
        path: '/explorer/tx/:txId',
        name: 'tx',
        component: () => import('./pages/TransactionPage.vue'),
        props: true,
    },
    { path: '/explorer/history', name: 'history', component: () => import('./pages/HistoryPage.vue') },
    {
        path: '/verify',
        name: 'verify',
        component: () => import('./pages/VerifyPage.vue'),
        meta: { public: true },
    },
    {
        path: '/verify/receipt',
        name: 'verify-receipt',
        component: () => import('./pages/ReceiptCheckPage.vue'),
        meta: { public: true },
    },
    {
        path: '/cake/:code',
        name: 'cake',
        component: () => import('./pages/CakePage.vue'),
        props: true,
        meta: { public: true },
    },
    {
        path: '/verify/lottery/:eventId?',
        name: 'verify-lottery',
        component: () => import('./pages/LotteryCheckPage.vue'),
        props: true,
        meta: { public: true },
    },
    {
        path: '/verify/evidence',
        name: 'verify-evidence',
        component: () => import('./pages/EvidenceCheckPage.vue'),
        meta: { public: true },
    },
    { path: '/workshop', name: 'workshop', component: () => import('./pages/WorkshopPage.vue') },
    {
        path: '/workshop/instructor',
        name: 'instructor',
        component: () => import('./pages/InstructorPage.vue'),
    },
    {
        path: '/workshop/:lesson',
        name: 'lesson',
        component: () => import('./pages/LessonPage.vue'),
        props: true,
    },
    { path: '/:rest(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
];

export const router = createRouter({
    history: createWebHistory(),
    routes,
    scrollBehavior: () => ({ top: 0 }),
});

declare module 'vue-router' {
    interface RouteMeta {
        public?: boolean;
    }
}
