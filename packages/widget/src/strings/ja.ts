/** Japanese, in the order and format of `strings.ts`. */
export default 'PingOne に接続|ポップアップで PingOne にサインインしてください。|PingOne に接続しました|サインイン ウィンドウが閉じられました|ポップアップがブロックされました。許可してもう一度お試しください。|接続できませんでした。もう一度お試しください。';
