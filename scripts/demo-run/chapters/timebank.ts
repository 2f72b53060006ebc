import type { Chapter, RunContext, Step } from '../chapter';
import { certificateName, t, type Text } from '../text';

/**
 * 时间银行: the station posts a service order (new each run) for 王阿婆, a volunteer serves it and
 * tries to confirm it himself — refused; the elder confirms, the volunteer is credited exactly
 * once, donates to the pool, and the supply report balances.
 */
export function timebankChapter(run: RunContext): Chapter {
    const order = `BJ-${run.tag}-01`;
    let elderId = '';
    const openAccount = (actor: string, who: Text): Step => ({
        actor,
        fn: 'registerAccount',
        doneIf: 'E_EXISTS',
        say: () =>
            t(
                `${who['zh-CN']}开立时间银行账户（账户 = 证书）`,
                `${who.en} opens a time bank account (the account is the certificate)`,
            ),
    });
    return {
        contract: 'timebank',
        title: t('时间银行', 'Volunteer time bank'),
        story: t(
            '2019 年杭州滨江区上线"时间银行"：志愿者为老人服务的时间记在链上，由老人或服务站确认后\n入账，日后可兑换服务或赠与他人；总量始终等于确认过的服务时间。',
            "In 2019 Hangzhou's Binjiang district put its volunteer time bank on chain: minutes served to\nelders are credited once the elder or the station confirms, and can later be redeemed or given;\nthe total always equals the confirmed service.",
        ),
        steps: [
            openAccount('MemberMSP:station', t('滨江区志愿服务站', 'The 滨江 volunteer station')),
            openAccount('MemberMSP:volunteer1', t('志愿者 1 ', 'Volunteer 1')),
            openAccount('MemberMSP:elder', t('王阿婆', '王阿婆')),
            {
                actor: 'MemberMSP:elder',
                fn: 'whoami',
                evaluate: true,
                say: () => t('王阿婆查看自己的账户', '王阿婆 looks up her account'),
                keep: (answer) => {
                    elderId = String(answer.id);
                },
                show: (answer) =>
                    t(
                        `账户 ${certificateName(elderId)}，余额 ${String(answer.balanceMinutes)} 分钟`,
                        `account ${certificateName(elderId)}, balance ${String(answer.balanceMinutes)} minutes`,
                    ),
            },
            {
                actor: 'MemberMSP:station',
                fn: 'recordElderDetails',
                args: () => [elderId],
                transient: () => ({
                    elder: JSON.stringify({
                        name: '王阿婆',
                        address: '杭州市滨江区长河街道江南人家 3 幢 2 单元 101',
                        phone: '0571-86660101',
                    }),
                }),
                say: () =>
                    t(
                        '服务站把老人住址电话写入私有数据集合',
                        "The station records the elder's address and phone privately",
                    ),
            },
            {
                actor: 'MemberMSP:station',
                fn: 'postOrder',
                args: () => [order, elderId, '助餐', '60'],
                say: () =>
                    t(
                        `服务站发布服务单 ${order}：为王阿婆助餐，计划 60 分钟`,
                        `The station posts order ${order}: meal help for 王阿婆, 60 minutes planned`,
                    ),
            },
            {
                actor: 'MemberMSP:volunteer1',
                fn: 'recordService',
                args: () => [order, '55'],
                say: () => t('志愿者 1 记录实际服务 55 分钟', 'Volunteer 1 records 55 minutes served'),
            },
            {
                actor: 'MemberMSP:volunteer1',
                fn: 'confirmService',
                args: () => [order],
                say: () => t('志愿者 1 想自己确认自己的服务', 'Volunteer 1 tries to confirm his own service'),
                refused: {
                    code: 'E_SELF_CONFIRM',
                    why: t(
                        '由受助老人或服务站确认，绝不由志愿者本人确认',
                        'the recipient or the station confirms, never the volunteer',
                    ),
                },
            },
            {
                actor: 'MemberMSP:elder',
                fn: 'confirmService',
                args: () => [order],
                say: () =>
                    t(
                        '王阿婆确认服务：志愿者 1 入账 55 分钟，且只入账一次',
                        '王阿婆 confirms: volunteer 1 is credited 55 minutes, exactly once',
                    ),
            },
            {
                actor: 'MemberMSP:volunteer1',
                fn: 'donateToPool',
                args: () => ['20', '爱心池捐赠'],
                say: () => t('志愿者 1 向爱心池捐赠 20 分钟', 'Volunteer 1 gives 20 minutes to the donation pool'),
            },
            {
                actor: 'RegulatorMSP:civil',
                fn: 'getSupply',
                evaluate: true,
                say: () => t('民政局核对总量', 'Civil affairs checks the totals'),
                show: (answer) =>
                    t(
                        `发行 ${String(answer.mintedMinutes)} = 确认 ${String(answer.confirmedMinutes)} 分钟 = 余额 ${String(answer.balancesMinutes)} + 爱心池 ${String(answer.poolMinutes)} + 冻结 ${String(answer.heldInRedemptionMinutes)} + 已兑换 ${String(answer.redeemedMinutes)}`,
                        `minted ${String(answer.mintedMinutes)} = confirmed ${String(answer.confirmedMinutes)} minutes = balances ${String(answer.balancesMinutes)} + pool ${String(answer.poolMinutes)} + held ${String(answer.heldInRedemptionMinutes)} + redeemed ${String(answer.redeemedMinutes)}`,
                    ),
            },
        ],
    };
}
