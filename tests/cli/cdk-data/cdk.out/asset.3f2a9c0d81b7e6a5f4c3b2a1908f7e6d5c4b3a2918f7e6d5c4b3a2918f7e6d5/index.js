exports.handler = async (event) => ({ ...event, reserved: true });
