/** French, in the order and format of `strings.ts`. */
export default 'Connecter PingOne|Connectez-vous à PingOne dans la fenêtre pop-up.|PingOne connecté|Fenêtre de connexion fermée|Pop-up bloquée. Autorisez les pop-ups et réessayez.|Connexion impossible. Réessayez.';
