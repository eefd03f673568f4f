/** Context variables of the link pages. */
export interface LinkPageVariables {
  /** The PingOne auth origin the page's form leads to, once the link is known. */
  linkFormAction?: string;
}
