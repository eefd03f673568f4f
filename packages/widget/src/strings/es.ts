/** Spanish, in the order and format of `strings.ts`. */
export default 'Conectar PingOne|Inicia sesión en PingOne en la ventana emergente.|PingOne conectado|Ventana de inicio de sesión cerrada|Ventana emergente bloqueada. Permítela y vuelve a intentarlo.|No se pudo conectar. Vuelve a intentarlo.';
