import { createHash } from 'node:crypto';
import type { Contract } from '@zhelian/api';

/**
 * Demo data for 司法链存证: a buyer (当事人) deposits an order screenshot and a chat log, 支付宝
 * deposits the payment record; 杭州互联网法院 opens a 网络购物合同纠纷 case, names the buyer as a
 * party and moves the case to 举证质证; the buyer links its own deposits and the court links the
 * payment record; the court records its re-hash of the screenshot (MATCH) and of a doctored copy
 * (MISMATCH), seals the parties' identity details and lets 上海市第一中级人民法院 read the evidence.
 * Run once on a fresh ledger. Only SHA-256 hashes reach the ledger; the file texts below stand in
 * for files. (Anyone may check a file with `verifyEvidence`, an evaluation that writes nothing.)
 *
 * The gateway plans the endorsers: CourtMSP for case changes (the case record's key-level
 * policy) and for sealed material (the court-only collection `evidenceSealed`).
 */

const CASE_ID = '(2019)浙0192民初1234号';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const FILES = [
    {
        who: 'MemberMSP:litigant',
        id: 'EV-2019-000001',
        title: '网购订单截图',
        type: 'image/png',
        content: '订单 20190618-7731 商品: 蓝牙耳机 实付 399.00 元',
    },
    {
        who: 'MemberMSP:litigant',
        id: 'EV-2019-000002',
        title: '与卖家的聊天记录',
        type: 'chat-log',
        content: '买家: 耳机左耳无声; 卖家: 不支持退货',
    },
    {
        who: 'PlatformMSP:alipay',
        id: 'EV-2019-000003',
        title: '支付凭证',
        type: 'application/pdf',
        content: '交易号 2019061822001 金额 399.00 元 状态 成功',
    },
];

export async function seedEvidence(as: (who: string) => (contractName: string) => Contract): Promise<void> {
    const evidence = (who: string) => as(who)('evidence');
    const court = evidence('CourtMSP:hangzhou');

    for (const file of FILES) {
        await evidence(file.who).submitTransaction(
            'depositEvidence',
            file.id,
            sha256(file.content),
            file.title,
            file.type,
            String(Buffer.byteLength(file.content)),
        );
    }

    await court.submitTransaction('openCase', CASE_ID, '网络购物合同纠纷');
    const buyer = JSON.parse(
        Buffer.from(await evidence('MemberMSP:litigant').evaluateTransaction('whoami')).toString('utf8'),
    ) as { id: string };
    await court.submit('addCaseParty', { arguments: [CASE_ID, buyer.id] });
    for (const stage of ['ACCEPTED', 'SERVED', 'EVIDENCE']) {
        await court.submit('advanceCase', { arguments: [CASE_ID, stage] });
    }
    await evidence('MemberMSP:litigant').submitTransaction('linkEvidence', CASE_ID, FILES[0].id);
    await evidence('MemberMSP:litigant').submitTransaction('linkEvidence', CASE_ID, FILES[1].id);
    await court.submitTransaction('linkEvidence', CASE_ID, FILES[2].id);

    await court.submitTransaction('recordVerification', FILES[0].id, sha256(FILES[0].content));
    await court.submitTransaction('recordVerification', FILES[0].id, sha256(`${FILES[0].content} (修改版)`));

    await court.submit('sealMaterial', {
        arguments: [CASE_ID, 'PARTIES'],
        transientData: {
            material: JSON.stringify({
                title: '当事人身份信息',
                content: '原告: 李某, 身份证号 3301********1234; 被告: 某电商店铺经营者',
            }),
        },
    });
    await court.submit('grantCaseAccess', {
        arguments: [CASE_ID, '上海市第一中级人民法院'],
    });
}
