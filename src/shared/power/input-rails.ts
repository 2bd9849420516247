/**
 * The rails that are a module's input, in the order jtop prefers them
 * (`jtop/core/power.py`: `POM_5V_IN` or `VDD_IN`; Thor's INA238 `VIN`,
 * rbonghi/jetson_stats PR #900). Boards without one (AGX Xavier: `SYS5V`…,
 * AGX Orin: `VIN_SYS_5V0`…) have no input reading: `VIN_SYS_5V0` is the
 * carrier's 5 V rail, not the module input. The agent's total follows the
 * same list (resources/agent/jwb_agent/rails.py).
 */
export const inputRailNames: readonly string[] = ['VDD_IN', 'POM_5V_IN', 'VIN'];

/** The input rail among `names`, or null when the board measures only sub-rails. */
export function inputRailAmong(names: readonly string[]): string | null {
  return inputRailNames.find((name) => names.includes(name)) ?? null;
}
